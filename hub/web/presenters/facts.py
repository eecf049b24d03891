"""Facts the model page shows beside the card, built from selectors: license
terms in plain words, the size of a commit, how to use the model.

No rule lives here: visibility, permissions and check states come from the
domain's selectors; this module only words and groups their answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from hub.catalog.models import Commit, ModelRepo
from hub.catalog.trees import tree_entries
from hub.licenses.models import License

# (flag, wording when true, wording when false); None means "not stated".
_TERMS = (
    ("allows_commercial_use", "Commercial use allowed", "No commercial use"),
    ("allows_derivatives", "Modifications allowed", "No modifications"),
    ("requires_attribution", "Credit the authors", "No credit required"),
    (
        "requires_share_alike",
        "Derivatives keep this license",
        "Derivatives may use another license",
    ),
)


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # "yes" | "no" | "must" | "unknown"


@dataclass(frozen=True)
class LicenseInfo:
    id: str
    name: str
    url: str
    summary: str
    terms: list[Term]


def license_info(*, repo: ModelRepo) -> LicenseInfo | None:
    """The repo's license with its terms in plain words (None: no license)."""
    if not repo.license:
        return None
    row = License.objects.filter(id=repo.license).first()
    card = repo.card_data if isinstance(repo.card_data, dict) else {}
    if row is None or repo.license == "other":
        link = card.get("license_link") if isinstance(card, dict) else ""
        return LicenseInfo(
            id=repo.license,
            name=repo.license_name or (row.name if row else repo.license),
            url=link if isinstance(link, str) and link.startswith("http") else "",
            summary="A license of its own: read its terms before use.",
            terms=[Term("Terms are set by the license text", "unknown")],
        )
    terms: list[Term] = []
    for flag, yes, no in _TERMS:
        value = getattr(row, flag)
        if value is None:
            terms.append(Term(f"{yes}? Not stated", "unknown"))
        elif flag.startswith("requires_"):
            terms.append(Term(yes, "must") if value else Term(no, "yes"))
        else:
            terms.append(Term(yes, "yes") if value else Term(no, "no"))
    if row.has_use_restrictions:
        terms.append(Term("Some uses are restricted", "must"))
    if row.requires_acceptance:
        terms.append(Term("Accept the terms before downloading", "must"))
    return LicenseInfo(row.id, row.name, row.url, row.summary, terms)


def commit_size(*, commit: Commit) -> int:
    """Total bytes of the files at a commit."""
    total = tree_entries(commit=commit).order_by().aggregate(total=Sum("size"))
    return int(total["total"] or 0)


def usage_snippets(*, base_url: str, repo: ModelRepo) -> dict[str, str]:
    """Copyable code that downloads or loads this model from this hub."""
    endpoint = base_url.rstrip("/")
    repo_id = repo.full_name
    auth = '\nos.environ["HF_TOKEN"] = "mc_..."  # a token from Settings' * (
        1 if repo.is_private or repo.gated != ModelRepo.Gated.OFF else 0
    )
    hub = (
        "import os\n"
        f'os.environ["HF_ENDPOINT"] = "{endpoint}"  # before importing the client'
        f"{auth}\n\n"
        "from huggingface_hub import snapshot_download\n\n"
        f'path = snapshot_download("{repo_id}")\n'
    )
    auto = "AutoModel"
    if repo.pipeline_tag == "text-generation":
        auto = "AutoModelForCausalLM"
    transformers = (
        "import os\n"
        f'os.environ["HF_ENDPOINT"] = "{endpoint}"  # before importing transformers'
        f"{auth}\n\n"
        f"from transformers import {auto}\n\n"
        f'model = {auto}.from_pretrained("{repo_id}")\n'
    )
    return {"huggingface_hub": hub, "transformers": transformers}
