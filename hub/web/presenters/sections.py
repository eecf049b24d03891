"""The model page's community sections — reviews, the gate, license lineage,
moderation, evaluations — each as the data its template draws.

Built from the domain's selectors and the visitor's abilities
(``hub.community.usecases.repo_abilities``, computed once per page); no rule
lives here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hub.access.selectors import access_request_get, access_request_list
from hub.accounts.actors import Actor, user_is_active
from hub.catalog.lineage import repo_derivative_conflicts, repo_license_lineage
from hub.catalog.models import Commit, ModelRepo
from hub.community.usecases import RepoAbilities
from hub.jobs import evalsuite
from hub.jobs.selectors.evals import PUBLISHED_METRICS, eval_panel, eval_run_data
from hub.licenses.models import License
from hub.moderation.selectors import moderation_powers
from hub.reviews.selectors import review_list_visible, review_rating_summary
from hub.web.markdown import markdown_html

# Reviews shown on the model page (most helpful first).
REVIEWS_SHOWN = 20


def _review_row(review: Any, *, repo: ModelRepo, user: Any, maintainer: bool) -> Any:
    signed_in = user_is_active(user)
    # A missing reverse one-to-one raises an AttributeError subclass.
    reply = getattr(review, "reply", None)
    return {
        "review": review,
        "html": markdown_html(
            review.text, repo_base=f"/{repo.typed_id}", revision=review.commit.oid
        ),
        "reply": reply,
        "reply_html": markdown_html(reply.text) if reply else "",
        "is_own": signed_in and review.author_id == user.pk,
        "can_vote": signed_in and review.author_id != user.pk and not review.is_hidden,
        "can_reply": maintainer and reply is None and not review.is_hidden,
    }


def reviews_section(
    *, user: Any, repo: ModelRepo, abilities: RepoAbilities
) -> dict[str, Any]:
    """Rating summary, the reviews the visitor sees, their own review and
    what they may do (review, vote, reply, report)."""
    signed_in = user_is_active(user)
    maintainer = signed_in and abilities.can_write
    rows = list(review_list_visible(repo=repo, viewer=user)[:REVIEWS_SHOWN])
    own = next((r for r in rows if signed_in and r.author_id == user.pk), None)
    if own is None and signed_in:
        own = review_list_visible(repo=repo, viewer=user).filter(author=user).first()
    return {
        "summary": review_rating_summary(repo=repo),
        "reviews": [
            _review_row(r, repo=repo, user=user, maintainer=maintainer) for r in rows
        ],
        "own": own,
        "signed_in": signed_in,
        "can_review": abilities.can_contribute,
        "stars": [5, 4, 3, 2, 1],
        "star_slots": [1, 2, 3, 4, 5],
    }


def gate_section(
    *, user: Any, repo: ModelRepo, abilities: RepoAbilities
) -> dict[str, Any]:
    """The gate in force, the visitor's access and request, the license
    terms to agree to, and (for admins) the pending requests count."""
    mode = abilities.gate
    if mode == repo.Gated.OFF:
        return {"mode": mode}
    license_ = License.objects.filter(id=repo.license).first() if repo.license else None
    admin = abilities.can_admin
    return {
        "mode": mode,
        "has_access": abilities.has_access,
        "request": access_request_get(repo=repo, user=user),
        "license": license_,
        "is_admin": admin,
        "pending": access_request_list(repo=repo, status="pending").count()
        if admin
        else 0,
    }


def lineage_section(*, user: Any, repo: ModelRepo) -> dict[str, Any]:
    """License verdicts against the card's base models, and derivatives on
    this hub whose license conflicts with this model's terms."""
    bases = repo_license_lineage(repo=repo, user=user)
    return {
        "bases": bases,
        "conflicts": repo_derivative_conflicts(repo=repo, user=user),
        "has_conflict": any(b.status == "conflict" for b in bases),
    }


def moderation_section(*, user: Any, repo: ModelRepo) -> dict[str, Any]:
    """What the visitor may do to this repo as a moderator (staff: disable
    or re-enable it); ``hub.moderation`` decides."""
    return moderation_powers(actor=Actor.of(user), repo=repo)


def _run_row(run: Any) -> dict[str, Any]:
    """One run as the template shows it: the numbers or why there are none."""
    info = evalsuite.EVALUATORS.get(run.evaluator)
    result = run.result
    metrics = []
    if result is not None:
        # The published secondary metric first (perplexity, margin), then
        # the counts and timings.
        published = PUBLISHED_METRICS.get(run.evaluator, ())
        names = sorted(
            (n for n in result.metrics if n != result.primary_metric),
            key=lambda n: (n not in published, n),
        )
        metrics = [
            {"name": name.replace("_", " "), "value": result.metrics[name]}
            for name in names
        ]
    return {
        "run": run,
        "title": info.title if info else run.evaluator,
        "primary_title": info.primary_title if info else "",
        "higher_is_better": info.higher_is_better if info else True,
        "result": result,
        "metrics": metrics,
        "generation": (result.details or {}).get("generation") if result else None,
        "position": getattr(run, "position", 0),
        "held_out_data": eval_run_data(run),
    }


def evals_section(
    *,
    request: HttpRequest,
    repo: ModelRepo,
    commit: Commit,
    checks_state: str,
    abilities: RepoAbilities,
) -> dict[str, Any]:
    """Runs of ``commit``, the card's claimed results, whether the visitor may
    request a re-run, and ``state``: "pending" while a run is queued or
    running, or validation (which evaluations wait for) is still going."""
    panel = eval_panel(repo=repo, commit=commit, user=request.user)
    pending = panel.enabled and (panel.has_active or checks_state == "pending")
    return {
        "enabled": panel.enabled,
        "commit": commit,
        "rows": [_run_row(run) for run in panel.runs],
        "claimed": panel.claimed,
        "has_active": panel.has_active,
        "state": "pending" if pending else "done",
        "can_rerun": panel.enabled
        and request.user.is_authenticated
        and abilities.can_write,
    }
