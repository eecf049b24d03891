"""Data of the model page's community sections: reviews, the gate, license
lineage (each section's template loads its data with one tag, so the model
page view stays as it is), and the reason a comment was hidden."""

from __future__ import annotations

from typing import Any

from django import template

from hub.access.selectors import access_request_get, access_request_list
from hub.accounts.actors import Actor
from hub.catalog.lineage import repo_derivative_conflicts, repo_license_lineage
from hub.community.usecases import RepoAbilities, repo_abilities
from hub.licenses.models import License
from hub.moderation.selectors import moderation_powers
from hub.reviews.selectors import review_list_visible, review_rating_summary
from hub.web.markdown import markdown_html

register = template.Library()

# Reviews shown on the model page (most helpful first).
REVIEWS_SHOWN = 20


def abilities_of(context: Any) -> RepoAbilities:
    """The visitor's abilities on the page's repo (computed once per page)."""
    abilities = context.get("abilities")
    if abilities is None:
        abilities = repo_abilities(
            actor=Actor.of(context["request"].user), repo=context["repo"]
        )
    return abilities


@register.simple_tag(takes_context=True)
def reviews_panel(context: Any) -> dict[str, Any]:
    """Rating summary, the reviews the visitor sees, their own review and
    what they may do (review, vote, reply, report)."""
    request = context["request"]
    repo = context["repo"]
    user = request.user
    signed_in = bool(user.is_authenticated and user.is_active)
    abilities = abilities_of(context)
    maintainer = signed_in and abilities.can_write
    rows = list(review_list_visible(repo=repo, viewer=user)[:REVIEWS_SHOWN])
    own = next((r for r in rows if signed_in and r.author_id == user.pk), None)
    if own is None and signed_in:
        own = review_list_visible(repo=repo, viewer=user).filter(author=user).first()
    reviews = []
    for review in rows:
        # A missing reverse one-to-one raises an AttributeError subclass.
        reply = getattr(review, "reply", None)
        reviews.append(
            {
                "review": review,
                "html": markdown_html(
                    review.text,
                    repo_base=f"/{repo.full_name}",
                    revision=review.commit.oid,
                ),
                "reply": reply,
                "reply_html": markdown_html(reply.text) if reply else "",
                "is_own": signed_in and review.author_id == user.pk,
                "can_vote": signed_in
                and review.author_id != user.pk
                and not review.is_hidden,
                "can_reply": maintainer and reply is None and not review.is_hidden,
            }
        )
    return {
        "summary": review_rating_summary(repo=repo),
        "reviews": reviews,
        "own": own,
        "signed_in": signed_in,
        "can_review": abilities.can_contribute,
        "stars": [5, 4, 3, 2, 1],
        "star_slots": [1, 2, 3, 4, 5],
    }


@register.simple_tag(takes_context=True)
def gate_panel(context: Any) -> dict[str, Any]:
    """The gate in force, the visitor's access and request, the license
    terms to agree to, and (for admins) the pending requests count."""
    request = context["request"]
    repo = context["repo"]
    user = request.user
    abilities = abilities_of(context)
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


@register.simple_tag(takes_context=True)
def lineage_panel(context: Any) -> dict[str, Any]:
    """License verdicts against the card's base models, and derivatives on
    this hub whose license conflicts with this model's terms."""
    request = context["request"]
    repo = context["repo"]
    bases = repo_license_lineage(repo=repo, user=request.user)
    conflicts = repo_derivative_conflicts(repo=repo, user=request.user)
    return {
        "bases": bases,
        "conflicts": conflicts,
        "has_conflict": any(b.status == "conflict" for b in bases),
    }


@register.simple_tag(takes_context=True)
def moderation_panel(context: Any) -> dict[str, Any]:
    """What the visitor may do to this repo as a moderator (staff: disable
    or re-enable it); ``hub.moderation`` decides."""
    request = context["request"]
    return moderation_powers(actor=Actor.of(request.user), repo=context["repo"])
