from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.discussion_detail_status_enum import DiscussionDetailStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discussion_event import DiscussionEvent
    from ..models.merge_blocker import MergeBlocker
    from ..models.pull_request_review_summary import PullRequestReviewSummary


T = TypeVar("T", bound="DiscussionDetail")


@_attrs_define
class DiscussionDetail:
    """A discussion or pull request with its timeline.

    Attributes:
        num (int):
        title (str):
        status (DiscussionDetailStatusEnum): * `draft` - Draft
            * `open` - Open
            * `closed` - Closed
            * `merged` - Merged
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        git_ref (None | str): refs/pr/N of a pull request; null for a discussion.
        head_commit (None | str): The pull request's head commit: poll its checks before merging.
        review (None | PullRequestReviewSummary): Pull requests: where the maintainers' reviews stand; null for a
            discussion.
        mergeable (list[MergeBlocker] | None): Pull requests: why a merge would be refused now (empty: it would not be);
            null for a discussion.
        events (list[DiscussionEvent]):
        is_pull_request (bool | Unset):
        author (None | str | Unset):
        target_branch (str | Unset):
        is_pinned (bool | Unset):
        is_locked (bool | Unset):
        merge_commit (None | str | Unset):
    """

    num: int
    title: str
    status: DiscussionDetailStatusEnum
    created_at: datetime.datetime
    updated_at: datetime.datetime
    git_ref: None | str
    head_commit: None | str
    review: None | PullRequestReviewSummary
    mergeable: list[MergeBlocker] | None
    events: list[DiscussionEvent]
    is_pull_request: bool | Unset = UNSET
    author: None | str | Unset = UNSET
    target_branch: str | Unset = UNSET
    is_pinned: bool | Unset = UNSET
    is_locked: bool | Unset = UNSET
    merge_commit: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.pull_request_review_summary import PullRequestReviewSummary

        num = self.num

        title = self.title

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        git_ref: None | str
        git_ref = self.git_ref

        head_commit: None | str
        head_commit = self.head_commit

        review: dict[str, Any] | None
        if isinstance(self.review, PullRequestReviewSummary):
            review = self.review.to_dict()
        else:
            review = self.review

        mergeable: list[dict[str, Any]] | None
        if isinstance(self.mergeable, list):
            mergeable = []
            for mergeable_type_0_item_data in self.mergeable:
                mergeable_type_0_item = mergeable_type_0_item_data.to_dict()
                mergeable.append(mergeable_type_0_item)

        else:
            mergeable = self.mergeable

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        is_pull_request = self.is_pull_request

        author: None | str | Unset
        if isinstance(self.author, Unset):
            author = UNSET
        else:
            author = self.author

        target_branch = self.target_branch

        is_pinned = self.is_pinned

        is_locked = self.is_locked

        merge_commit: None | str | Unset
        if isinstance(self.merge_commit, Unset):
            merge_commit = UNSET
        else:
            merge_commit = self.merge_commit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "num": num,
                "title": title,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
                "git_ref": git_ref,
                "head_commit": head_commit,
                "review": review,
                "mergeable": mergeable,
                "events": events,
            }
        )
        if is_pull_request is not UNSET:
            field_dict["is_pull_request"] = is_pull_request
        if author is not UNSET:
            field_dict["author"] = author
        if target_branch is not UNSET:
            field_dict["target_branch"] = target_branch
        if is_pinned is not UNSET:
            field_dict["is_pinned"] = is_pinned
        if is_locked is not UNSET:
            field_dict["is_locked"] = is_locked
        if merge_commit is not UNSET:
            field_dict["merge_commit"] = merge_commit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discussion_event import DiscussionEvent
        from ..models.merge_blocker import MergeBlocker
        from ..models.pull_request_review_summary import PullRequestReviewSummary

        d = dict(src_dict)
        num = d.pop("num")

        title = d.pop("title")

        status = DiscussionDetailStatusEnum(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_git_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        git_ref = _parse_git_ref(d.pop("git_ref"))

        def _parse_head_commit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        head_commit = _parse_head_commit(d.pop("head_commit"))

        def _parse_review(data: object) -> None | PullRequestReviewSummary:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                review_type_1 = PullRequestReviewSummary.from_dict(data)

                return review_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PullRequestReviewSummary, data)

        review = _parse_review(d.pop("review"))

        def _parse_mergeable(data: object) -> list[MergeBlocker] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                mergeable_type_0 = []
                _mergeable_type_0 = data
                for mergeable_type_0_item_data in _mergeable_type_0:
                    mergeable_type_0_item = MergeBlocker.from_dict(mergeable_type_0_item_data)

                    mergeable_type_0.append(mergeable_type_0_item)

                return mergeable_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[MergeBlocker] | None, data)

        mergeable = _parse_mergeable(d.pop("mergeable"))

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = DiscussionEvent.from_dict(events_item_data)

            events.append(events_item)

        is_pull_request = d.pop("is_pull_request", UNSET)

        def _parse_author(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        author = _parse_author(d.pop("author", UNSET))

        target_branch = d.pop("target_branch", UNSET)

        is_pinned = d.pop("is_pinned", UNSET)

        is_locked = d.pop("is_locked", UNSET)

        def _parse_merge_commit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merge_commit = _parse_merge_commit(d.pop("merge_commit", UNSET))

        discussion_detail = cls(
            num=num,
            title=title,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            git_ref=git_ref,
            head_commit=head_commit,
            review=review,
            mergeable=mergeable,
            events=events,
            is_pull_request=is_pull_request,
            author=author,
            target_branch=target_branch,
            is_pinned=is_pinned,
            is_locked=is_locked,
            merge_commit=merge_commit,
        )

        discussion_detail.additional_properties = d
        return discussion_detail

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
