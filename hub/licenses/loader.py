"""Load the license catalog from ``data/licenses.json`` into the database.

Data migrations call these functions with the historical ``License`` class
(``apps.get_model("licenses", "License")``), so they must not use anything
but that class's own fields and manager. A later migration re-runs
``licenses_load`` after the JSON grows: rows are upserted by id, never
duplicated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LICENSES_JSON = Path(__file__).resolve().parent / "data" / "licenses.json"


def licenses_read(path: Path = LICENSES_JSON) -> list[dict[str, Any]]:
    """Return the catalog entries from the JSON file, in file order."""
    with path.open(encoding="utf-8") as fh:
        entries = json.load(fh)
    if not isinstance(entries, list):
        raise ValueError(f"{path} must hold a JSON list of license objects.")
    return entries


def licenses_load(license_model: Any, *, path: Path = LICENSES_JSON) -> int:
    """Create or update one row per catalog entry; idempotent. Returns the count."""
    # Only the fields this (possibly historical) model has: a key added to the
    # JSON together with a new model field must not break older migrations
    # that run the same loader before that field exists.
    field_names = {
        f.name for f in license_model._meta.concrete_fields if f.name != "id"
    }
    entries = licenses_read(path)
    for entry in entries:
        defaults = {k: v for k, v in entry.items() if k in field_names}
        license_model.objects.update_or_create(id=entry["id"], defaults=defaults)
    return len(entries)


def licenses_unload(license_model: Any, *, path: Path = LICENSES_JSON) -> int:
    """Delete the rows whose ids are in the catalog file. Returns the count."""
    ids = [entry["id"] for entry in licenses_read(path)]
    deleted, _ = license_model.objects.filter(id__in=ids).delete()
    return deleted
