"""Lineage: is a derivative's declared license compatible with its base
model's terms, and which datasets on this hub a model names (both ways)?

``lineage_verdict`` is a pure function of two License rows (the catalog's
term flags), so the rules are tested on a table of pairs. ``repo_license_lineage``
and ``repo_derivative_conflicts`` resolve the ``base_model`` ids of model
cards to repos on this hub, as the viewer may see them.

The verdicts are a reading of the flags, not legal advice: "conflict" means
the flags say the derivative's license grants something the base's forbids
or drops a duty the base passes on; "unknown" means the catalog cannot tell
(an unknown or custom license, a term the catalog leaves open).

Data lineage: a model card's ``datasets:`` lists the data it was trained or
evaluated on. ``model_datasets`` resolves those ids to dataset repos on this
hub the viewer may see; ``dataset_models`` answers the other way, the
visible models whose card names the dataset (one query each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hub.catalog.models import ModelRepo
from hub.catalog.search import json_list_contains
from hub.catalog.visibility import repo_list_visible, repos_visible_by_id
from hub.licenses.models import License

OK = "ok"
CONFLICT = "conflict"
UNKNOWN = "unknown"
# At most this many base models and derivatives are checked per repo.
MAX_BASES = 10
MAX_DERIVATIVES = 50
# At most this many datasets of a card are resolved, and models listed per
# dataset.
MAX_DATASETS = 20
MAX_DATASET_MODELS = 100


@dataclass(frozen=True)
class LineageVerdict:
    status: str  # ok | conflict | unknown
    reasons: list[str] = field(default_factory=list)


def _name(license_: License) -> str:
    return license_.id


def lineage_verdict(*, base: License | None, derived: License | None) -> LineageVerdict:
    """Whether a model under ``derived`` may build on one under ``base``."""
    if base is None or base.kind == License.Kind.SPECIAL:
        return LineageVerdict(
            UNKNOWN, ["The base model's license is unknown or custom: cannot check."]
        )
    if derived is None or derived.kind == License.Kind.SPECIAL:
        return LineageVerdict(
            UNKNOWN, ["This model's license is unknown or custom: cannot check."]
        )
    if base.allows_derivatives is False:
        return LineageVerdict(
            CONFLICT,
            [f"The base model's license ({_name(base)}) forbids derivatives."],
        )
    if base.pk == derived.pk:
        return LineageVerdict(OK, [])
    reasons: list[str] = []
    unknown: list[str] = []
    if base.requires_share_alike:
        reasons.append(
            f"The base model's license ({_name(base)}) is share-alike: derivatives "
            f"must keep it, not relicense under {_name(derived)}."
        )
    if base.allows_commercial_use is False:
        if derived.allows_commercial_use is True:
            reasons.append(
                f"The base model's license ({_name(base)}) is non-commercial, but "
                f"{_name(derived)} allows commercial use."
            )
        elif derived.allows_commercial_use is None:
            unknown.append(
                f"Whether {_name(derived)} allows commercial use is unknown."
            )
    if base.has_use_restrictions and not derived.has_use_restrictions:
        reasons.append(
            f"The base model's license ({_name(base)}) restricts how the model may "
            f"be used; {_name(derived)} does not carry those restrictions over."
        )
    if reasons:
        return LineageVerdict(CONFLICT, reasons)
    if base.allows_derivatives is None or base.allows_commercial_use is None:
        unknown.append(
            f"The catalog does not know all terms of {_name(base)}: cannot check."
        )
    if unknown:
        return LineageVerdict(UNKNOWN, unknown)
    return LineageVerdict(OK, [])


@dataclass(frozen=True)
class LineageEntry:
    """One base model (or derivative) and the verdict for the pair."""

    repo_id: str
    found: bool
    license: str
    status: str
    reasons: list[str]


def _licenses(ids: set[str]) -> dict[str, License]:
    return {lic.id: lic for lic in License.objects.filter(id__in=ids)}


def _base_ids(repo: ModelRepo) -> list[str]:
    values = repo.base_model if isinstance(repo.base_model, list) else []
    ids = [v for v in values if isinstance(v, str) and v.count("/") == 1]
    return list(dict.fromkeys(ids))[:MAX_BASES]


def repo_license_lineage(
    *, repo: ModelRepo, user: Any, token: Any = None
) -> list[LineageEntry]:
    """The verdict for each ``base_model`` of the repo's card (three queries).

    A base that is not on this hub (or that the viewer cannot see) is
    ``unknown``: there are no terms to compare with.
    """
    ids = _base_ids(repo)
    if not ids:
        return []
    bases = repos_visible_by_id(user=user, token=token, repo_ids=ids)
    licenses = _licenses({repo.license} | {b.license for b in bases.values()})
    derived = licenses.get(repo.license)
    entries: list[LineageEntry] = []
    for repo_id in ids:
        base = bases.get(repo_id.lower())
        if base is None:
            entries.append(
                LineageEntry(
                    repo_id,
                    False,
                    "",
                    UNKNOWN,
                    ["The base model is not on this hub: cannot check."],
                )
            )
            continue
        verdict = lineage_verdict(base=licenses.get(base.license), derived=derived)
        entries.append(
            LineageEntry(
                base.full_name, True, base.license, verdict.status, verdict.reasons
            )
        )
    return entries


def repo_derivative_conflicts(
    *, repo: ModelRepo, user: Any, token: Any = None
) -> list[LineageEntry]:
    """Visible repos naming this one as ``base_model`` whose license conflicts
    with its terms (two queries, at most MAX_DERIVATIVES derivatives read)."""
    derivatives = list(
        repo_list_visible(user=user, token=token, repo_type=repo.repo_type)
        .filter(json_list_contains("base_model", [repo.full_name]))
        .exclude(pk=repo.pk)
        .order_by("-pk")[:MAX_DERIVATIVES]
    )
    if not derivatives:
        return []
    licenses = _licenses({repo.license} | {d.license for d in derivatives})
    base = licenses.get(repo.license)
    conflicts: list[LineageEntry] = []
    for derivative in derivatives:
        verdict = lineage_verdict(base=base, derived=licenses.get(derivative.license))
        if verdict.status == CONFLICT:
            conflicts.append(
                LineageEntry(
                    derivative.full_name,
                    True,
                    derivative.license,
                    verdict.status,
                    verdict.reasons,
                )
            )
    return conflicts


@dataclass(frozen=True)
class DatasetLink:
    """One ``datasets:`` id of a model card; ``repo`` when it is a dataset
    on this hub the viewer may see."""

    repo_id: str
    repo: ModelRepo | None


def _dataset_ids(repo: ModelRepo) -> list[str]:
    values = repo.datasets if isinstance(repo.datasets, list) else []
    ids = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(ids))[:MAX_DATASETS]


def model_datasets(
    *, repo: ModelRepo, user: Any, token: Any = None
) -> list[DatasetLink]:
    """The ``datasets:`` of a model's card, in card order, each with the
    dataset repo it names when the viewer may see it on this hub (one query;
    none for a card without datasets). An id of the Hub's legacy form
    without a namespace (``squad``) names no repo here."""
    ids = _dataset_ids(repo) if repo.repo_type == ModelRepo.RepoType.MODEL else []
    hub_ids = [i for i in ids if i.count("/") == 1]
    found = (
        repos_visible_by_id(
            user=user, token=token, repo_ids=hub_ids, repo_type="dataset"
        )
        if hub_ids
        else {}
    )
    return [DatasetLink(i, found.get(i.lower())) for i in ids]


def dataset_models(*, repo: ModelRepo, user: Any, token: Any = None) -> list[ModelRepo]:
    """Visible models whose card names this dataset in ``datasets:``, most
    downloaded first (one query, at most MAX_DATASET_MODELS). The card must
    spell the id as the dataset is named now (a JSON containment test)."""
    if repo.repo_type != ModelRepo.RepoType.DATASET:
        return []
    return list(
        repo_list_visible(user=user, token=token, repo_type="model")
        .filter(json_list_contains("datasets", [repo.full_name]))
        .order_by("-downloads", "-pk")[:MAX_DATASET_MODELS]
    )
