"""Contains all the data models used in inputs/outputs"""

from .access_request import AccessRequest
from .access_request_create_request import AccessRequestCreateRequest
from .access_request_create_request_answers import AccessRequestCreateRequestAnswers
from .access_request_decide_request import AccessRequestDecideRequest
from .access_state import AccessState
from .audit_event import AuditEvent
from .audit_event_action_enum import AuditEventActionEnum
from .blank_enum import BlankEnum
from .check_run import CheckRun
from .check_run_kind_enum import CheckRunKindEnum
from .check_run_page import CheckRunPage
from .check_run_status_enum import CheckRunStatusEnum
from .checks_summary import ChecksSummary
from .checks_summary_counts import ChecksSummaryCounts
from .checks_summary_parameters import ChecksSummaryParameters
from .checks_summary_state_enum import ChecksSummaryStateEnum
from .claimed_result import ClaimedResult
from .code_enum import CodeEnum
from .comment_create_request import CommentCreateRequest
from .commit_author import CommitAuthor
from .commit_detail import CommitDetail
from .commit_list_item import CommitListItem
from .compare import Compare
from .dataset_file import DatasetFile
from .dataset_model import DatasetModel
from .dataset_repo_detail import DatasetRepoDetail
from .dataset_repo_detail_card_data import DatasetRepoDetailCardData
from .dataset_repo_facets import DatasetRepoFacets
from .dataset_repo_list_item import DatasetRepoListItem
from .dataset_repo_list_page import DatasetRepoListPage
from .dataset_viewer import DatasetViewer
from .datasets_list_gated import DatasetsListGated
from .datasets_list_license_term_item import DatasetsListLicenseTermItem
from .datasets_list_sort import DatasetsListSort
from .discussion_create_request import DiscussionCreateRequest
from .discussion_detail import DiscussionDetail
from .discussion_detail_status_enum import DiscussionDetailStatusEnum
from .discussion_event import DiscussionEvent
from .discussion_event_type_enum import DiscussionEventTypeEnum
from .discussion_flag_request import DiscussionFlagRequest
from .discussion_list_item import DiscussionListItem
from .eval_data import EvalData
from .eval_queue import EvalQueue
from .eval_request_request import EvalRequestRequest
from .eval_result import EvalResult
from .eval_run import EvalRun
from .eval_run_status_enum import EvalRunStatusEnum
from .failing_check import FailingCheck
from .file_change import FileChange
from .file_change_status_enum import FileChangeStatusEnum
from .file_detail import FileDetail
from .gated_enum import GatedEnum
from .leaderboard import Leaderboard
from .leaderboard_dataset import LeaderboardDataset
from .leaderboard_entry import LeaderboardEntry
from .leaderboard_entry_metrics import LeaderboardEntryMetrics
from .leaderboard_index_item import LeaderboardIndexItem
from .leaderboards_retrieve_evaluator import LeaderboardsRetrieveEvaluator
from .leaderboards_retrieve_size_tier import LeaderboardsRetrieveSizeTier
from .leaderboards_retrieve_sort import LeaderboardsRetrieveSort
from .license_ import License
from .license_kind_enum import LicenseKindEnum
from .license_lineage import LicenseLineage
from .license_lineage_entry import LicenseLineageEntry
from .licenses_list_kind import LicensesListKind
from .like_state import LikeState
from .member import Member
from .membership_set_request import MembershipSetRequest
from .merge_blocker import MergeBlocker
from .merge_request import MergeRequest
from .model_dataset_link import ModelDatasetLink
from .model_evals import ModelEvals
from .model_repo_create_request import ModelRepoCreateRequest
from .model_repo_detail import ModelRepoDetail
from .model_repo_detail_card_data import ModelRepoDetailCardData
from .model_repo_facet_value import ModelRepoFacetValue
from .model_repo_facets import ModelRepoFacets
from .model_repo_license import ModelRepoLicense
from .model_repo_license_flags import ModelRepoLicenseFlags
from .model_repo_list_item import ModelRepoListItem
from .model_repo_list_page import ModelRepoListPage
from .models_discussions_list_status import ModelsDiscussionsListStatus
from .models_discussions_list_type import ModelsDiscussionsListType
from .models_list_gated import ModelsListGated
from .models_list_has_eval_results import ModelsListHasEvalResults
from .models_list_license_term_item import ModelsListLicenseTermItem
from .models_list_sort import ModelsListSort
from .models_list_task import ModelsListTask
from .moderation_action import ModerationAction
from .moderation_action_action_enum import ModerationActionActionEnum
from .moderation_action_create_action_enum import ModerationActionCreateActionEnum
from .moderation_action_create_request import ModerationActionCreateRequest
from .namespace_quota import NamespaceQuota
from .namespace_quota_kind_enum import NamespaceQuotaKindEnum
from .notification import Notification
from .notification_kind_enum import NotificationKindEnum
from .notification_mark_read_request import NotificationMarkReadRequest
from .notification_mark_read_result import NotificationMarkReadResult
from .organization import Organization
from .organization_create_request import OrganizationCreateRequest
from .paginated_access_request_list import PaginatedAccessRequestList
from .paginated_audit_event_list import PaginatedAuditEventList
from .paginated_commit_list_item_list import PaginatedCommitListItemList
from .paginated_discussion_list_item_list import PaginatedDiscussionListItemList
from .paginated_license_list import PaginatedLicenseList
from .paginated_member_list import PaginatedMemberList
from .paginated_moderation_action_list import PaginatedModerationActionList
from .paginated_notification_list import PaginatedNotificationList
from .paginated_review_list import PaginatedReviewList
from .paginated_review_revision_list import PaginatedReviewRevisionList
from .paginated_token_list import PaginatedTokenList
from .paginated_tree_item_list import PaginatedTreeItemList
from .paginated_user_like_list import PaginatedUserLikeList
from .patched_model_repo_update_request import PatchedModelRepoUpdateRequest
from .patched_namespace_quota_set_request import PatchedNamespaceQuotaSetRequest
from .pull_request_review_summary import PullRequestReviewSummary
from .pull_request_review_summary_state_enum import PullRequestReviewSummaryStateEnum
from .quota_file_size import QuotaFileSize
from .quota_repo_count import QuotaRepoCount
from .quota_repo_usage import QuotaRepoUsage
from .quota_storage import QuotaStorage
from .rating_distribution import RatingDistribution
from .rating_summary import RatingSummary
from .reason_enum import ReasonEnum
from .ref import Ref
from .ref_create_request import RefCreateRequest
from .ref_kind_enum import RefKindEnum
from .ref_list import RefList
from .report import Report
from .report_create_request import ReportCreateRequest
from .report_decide_request import ReportDecideRequest
from .review import Review
from .review_create_request import ReviewCreateRequest
from .review_create_state_enum import ReviewCreateStateEnum
from .review_evidence import ReviewEvidence
from .review_evidence_request import ReviewEvidenceRequest
from .review_helpful import ReviewHelpful
from .review_reply import ReviewReply
from .review_reply_create_request import ReviewReplyCreateRequest
from .review_revision import ReviewRevision
from .review_submit_request import ReviewSubmitRequest
from .revision_point import RevisionPoint
from .role_enum import RoleEnum
from .scope_enum import ScopeEnum
from .storage_usage import StorageUsage
from .token import Token
from .token_create_request import TokenCreateRequest
from .token_created import TokenCreated
from .tree_item import TreeItem
from .tree_item_type_enum import TreeItemTypeEnum
from .user_like import UserLike
from .verdict_enum import VerdictEnum
from .viewer_config import ViewerConfig
from .viewer_file import ViewerFile
from .viewer_split import ViewerSplit
from .viewer_split_features_item import ViewerSplitFeaturesItem
from .viewer_split_rows_item import ViewerSplitRowsItem

__all__ = (
    "AccessRequest",
    "AccessRequestCreateRequest",
    "AccessRequestCreateRequestAnswers",
    "AccessRequestDecideRequest",
    "AccessState",
    "AuditEvent",
    "AuditEventActionEnum",
    "BlankEnum",
    "CheckRun",
    "CheckRunKindEnum",
    "CheckRunPage",
    "CheckRunStatusEnum",
    "ChecksSummary",
    "ChecksSummaryCounts",
    "ChecksSummaryParameters",
    "ChecksSummaryStateEnum",
    "ClaimedResult",
    "CodeEnum",
    "CommentCreateRequest",
    "CommitAuthor",
    "CommitDetail",
    "CommitListItem",
    "Compare",
    "DatasetFile",
    "DatasetModel",
    "DatasetRepoDetail",
    "DatasetRepoDetailCardData",
    "DatasetRepoFacets",
    "DatasetRepoListItem",
    "DatasetRepoListPage",
    "DatasetViewer",
    "DatasetsListGated",
    "DatasetsListLicenseTermItem",
    "DatasetsListSort",
    "DiscussionCreateRequest",
    "DiscussionDetail",
    "DiscussionDetailStatusEnum",
    "DiscussionEvent",
    "DiscussionEventTypeEnum",
    "DiscussionFlagRequest",
    "DiscussionListItem",
    "EvalData",
    "EvalQueue",
    "EvalRequestRequest",
    "EvalResult",
    "EvalRun",
    "EvalRunStatusEnum",
    "FailingCheck",
    "FileChange",
    "FileChangeStatusEnum",
    "FileDetail",
    "GatedEnum",
    "Leaderboard",
    "LeaderboardDataset",
    "LeaderboardEntry",
    "LeaderboardEntryMetrics",
    "LeaderboardIndexItem",
    "LeaderboardsRetrieveEvaluator",
    "LeaderboardsRetrieveSizeTier",
    "LeaderboardsRetrieveSort",
    "License",
    "LicenseKindEnum",
    "LicenseLineage",
    "LicenseLineageEntry",
    "LicensesListKind",
    "LikeState",
    "Member",
    "MembershipSetRequest",
    "MergeBlocker",
    "MergeRequest",
    "ModelDatasetLink",
    "ModelEvals",
    "ModelRepoCreateRequest",
    "ModelRepoDetail",
    "ModelRepoDetailCardData",
    "ModelRepoFacetValue",
    "ModelRepoFacets",
    "ModelRepoLicense",
    "ModelRepoLicenseFlags",
    "ModelRepoListItem",
    "ModelRepoListPage",
    "ModelsDiscussionsListStatus",
    "ModelsDiscussionsListType",
    "ModelsListGated",
    "ModelsListHasEvalResults",
    "ModelsListLicenseTermItem",
    "ModelsListSort",
    "ModelsListTask",
    "ModerationAction",
    "ModerationActionActionEnum",
    "ModerationActionCreateActionEnum",
    "ModerationActionCreateRequest",
    "NamespaceQuota",
    "NamespaceQuotaKindEnum",
    "Notification",
    "NotificationKindEnum",
    "NotificationMarkReadRequest",
    "NotificationMarkReadResult",
    "Organization",
    "OrganizationCreateRequest",
    "PaginatedAccessRequestList",
    "PaginatedAuditEventList",
    "PaginatedCommitListItemList",
    "PaginatedDiscussionListItemList",
    "PaginatedLicenseList",
    "PaginatedMemberList",
    "PaginatedModerationActionList",
    "PaginatedNotificationList",
    "PaginatedReviewList",
    "PaginatedReviewRevisionList",
    "PaginatedTokenList",
    "PaginatedTreeItemList",
    "PaginatedUserLikeList",
    "PatchedModelRepoUpdateRequest",
    "PatchedNamespaceQuotaSetRequest",
    "PullRequestReviewSummary",
    "PullRequestReviewSummaryStateEnum",
    "QuotaFileSize",
    "QuotaRepoCount",
    "QuotaRepoUsage",
    "QuotaStorage",
    "RatingDistribution",
    "RatingSummary",
    "ReasonEnum",
    "Ref",
    "RefCreateRequest",
    "RefKindEnum",
    "RefList",
    "Report",
    "ReportCreateRequest",
    "ReportDecideRequest",
    "Review",
    "ReviewCreateRequest",
    "ReviewCreateStateEnum",
    "ReviewEvidence",
    "ReviewEvidenceRequest",
    "ReviewHelpful",
    "ReviewReply",
    "ReviewReplyCreateRequest",
    "ReviewRevision",
    "ReviewSubmitRequest",
    "RevisionPoint",
    "RoleEnum",
    "ScopeEnum",
    "StorageUsage",
    "Token",
    "TokenCreateRequest",
    "TokenCreated",
    "TreeItem",
    "TreeItemTypeEnum",
    "UserLike",
    "VerdictEnum",
    "ViewerConfig",
    "ViewerFile",
    "ViewerSplit",
    "ViewerSplitFeaturesItem",
    "ViewerSplitRowsItem",
)
