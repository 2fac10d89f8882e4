#include "services/content/domain/post_writes.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/sha.h>

#include <optional>
#include <pqxx/pqxx>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/api/caller.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/logging/log.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/content/domain/access.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/post_rules.h"
#include "services/content/domain/post_view.h"
#include "services/content/domain/publication.h"
#include "services/content/repository/catalog_store.h"
#include "services/content/repository/space_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr absl::string_view kEditableFields[] = {"title",
                                                 "body",
                                                 "language",
                                                 "tags",
                                                 "category",
                                                 "review.rating",
                                                 "review.pros",
                                                 "review.cons",
                                                 "contest_entry.image_uri",
                                                 "contest_entry.video_uri",
                                                 "article.summary",
                                                 "article.cover_image_uri"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// The id of a post created with a request_id: the same for every retry of
// the same member's request, so that a retry after a lost answer finds the
// post (and moderation's screening of it) instead of making another.
std::string IdFor(const std::string& tenant, const std::string& author,
                  const std::string& request_id) {
  if (request_id.empty()) return NewContentId();
  const std::string input =
      absl::StrCat(tenant, "\n", author, "\n", request_id);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         digest);
  constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string id;
  for (int i = 0; i < 16; ++i) id.push_back(kAlphabet[digest[i] & 31]);
  return id;
}

common::Role RoleOf(absl::string_view role) {
  if (role == auth::kRoleMember) return common::ROLE_MEMBER;
  if (role == auth::kRoleTrustedMember) return common::ROLE_TRUSTED_MEMBER;
  if (role == auth::kRoleStaff) return common::ROLE_STAFF;
  if (role == auth::kRoleModerator) return common::ROLE_MODERATOR;
  if (role == auth::kRoleJury) return common::ROLE_JURY;
  if (role == auth::kRoleTenantAdmin) return common::ROLE_TENANT_ADMIN;
  if (role == auth::kRolePlatformAdmin) return common::ROLE_PLATFORM_ADMIN;
  if (role == auth::kRoleService) return common::ROLE_SERVICE;
  return common::ROLE_UNSPECIFIED;
}

// Who is writing, as screening and the stored post need it.
struct Writer {
  std::string id;  // member or service account id
  bool is_service = false;
  common::TrustLevel trust_level = common::TRUST_LEVEL_NEW;
  std::vector<common::Role> roles;
  std::vector<int> badges;
  common::Actor actor;
};

Writer WriterOf(const auth::Principal& caller, const std::string& tenant) {
  Writer writer;
  writer.id = caller.subject;
  writer.is_service = caller.is_service_account;
  // Token trust levels are 0-4, the contract's enum 1-5.
  writer.trust_level =
      static_cast<common::TrustLevel>(std::clamp(caller.trust_level, 0, 4) + 1);
  for (const std::string& role : caller.roles) {
    if (common::Role r = RoleOf(role); r != common::ROLE_UNSPECIFIED) {
      writer.roles.push_back(r);
    }
  }
  if (caller.is_service_account) {
    writer.badges.push_back(common::MEMBER_BADGE_AUTOMATED);
  } else {
    if (IsStaff(&caller, tenant)) {
      writer.badges.push_back(common::MEMBER_BADGE_STAFF);
    }
    if (caller.HasRole(auth::kRoleModerator)) {
      writer.badges.push_back(common::MEMBER_BADGE_MODERATOR);
    }
  }
  writer.actor = api::ActorFor(caller);
  return writer;
}

// The texts screening reads beside the title and body.
void AddExtraTexts(const v1::Post& post,
                   moderation::v1::ScreenRequest& request) {
  const auto add = [&](const char* field, const std::string& text) {
    if (text.empty()) return;
    moderation::v1::ScreenedText* extra = request.add_extra_texts();
    extra->set_field(field);
    extra->set_text(text);
  };
  if (post.has_review()) {
    add("review.pros", post.review().pros());
    add("review.cons", post.review().cons());
  }
  if (post.has_article()) add("article.summary", post.article().summary());
}

moderation::v1::ScreenRequest ScreenRequestFor(const std::string& tenant,
                                               const v1::Post& post,
                                               const v1::Space& space,
                                               const Writer& writer, bool edit,
                                               const std::string& request_id) {
  moderation::v1::ScreenRequest request;
  request.set_parent(absl::StrCat("tenants/", tenant));
  request.mutable_target()->set_kind(post.kind());
  request.mutable_target()->set_name(post.name());
  request.set_revision_id(post.revision_id());
  request.set_space(space.name());
  request.set_space_moderation_mode(space.moderation_mode());
  request.set_author(absl::StrCat(
      "tenants/", tenant, writer.is_service ? "/serviceAccounts/" : "/members/",
      writer.id));
  request.set_author_trust_level(writer.trust_level);
  for (common::Role role : writer.roles) request.add_author_roles(role);
  request.set_title(post.title());
  request.set_body(post.body());
  AddExtraTexts(post, request);
  request.set_language(post.language());
  request.set_edit(edit);
  // Screening is idempotent by request id too: a retried create or edit
  // finds the same screening.
  if (!request_id.empty()) {
    request.set_request_id(absl::StrCat(request_id.substr(0, 40), "-",
                                        post.revision_id().substr(0, 8)));
  }
  return request;
}

// Puts the masked texts and the verdict into `post`; returns whether the
// post is held unscreened.
bool ApplyScreening(const ScreeningOutcome& outcome, v1::Post& post,
                    absl::Time now) {
  const moderation::v1::Screening& screening = outcome.screening;
  post.set_title(screening.masked_title());
  post.set_body(screening.masked_body());
  for (const moderation::v1::ScreenedText& extra :
       screening.masked_extra_texts()) {
    if (extra.field() == "review.pros") {
      post.mutable_review()->set_pros(extra.text());
    } else if (extra.field() == "review.cons") {
      post.mutable_review()->set_cons(extra.text());
    } else if (extra.field() == "article.summary") {
      post.mutable_article()->set_summary(extra.text());
    }
  }
  v1::PostModeration& moderation = *post.mutable_moderation();
  moderation.Clear();
  moderation.set_verdict(screening.verdict());
  for (int reason : screening.reasons()) {
    moderation.add_reasons(static_cast<common::ModerationReason>(reason));
  }
  *moderation.mutable_decide_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  switch (screening.verdict()) {
    case common::MODERATION_VERDICT_PUBLISH:
      post.set_state(common::POST_STATE_PUBLISHED);
      break;
    case common::MODERATION_VERDICT_PUBLISH_THEN_REVIEW:
      post.set_state(common::POST_STATE_PUBLISHED);
      moderation.set_review_pending(true);
      break;
    case common::MODERATION_VERDICT_REJECT:
      post.set_state(common::POST_STATE_REJECTED);
      break;
    default:
      post.set_state(common::POST_STATE_PENDING);
      if (screening.has_review_due_time()) {
        *moderation.mutable_expected_decision_time() =
            screening.review_due_time();
      }
      break;
  }
  return !outcome.answered;
}

// What CreatePost resolves before screening.
struct CreatePlan {
  v1::Space space;
  std::string category;  // id
  std::optional<StoredPost> parent;
  std::string in_reply_to_comment;  // id
  std::string thread_root;          // id ("" for top-level: the post itself)
  bool verified_customer = false;
};

absl::StatusOr<std::string> IdInTenant(
    absl::string_view field, absl::string_view name, const std::string& tenant,
    std::initializer_list<absl::string_view> collections) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, collections);
  if (!parts.ok()) return parts.status();
  if ((*parts)[0] != tenant) {
    return Invalid(field, absl::StrCat("must belong to tenants/", tenant));
  }
  return parts->back();
}

absl::Status CheckRoundOpen(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& round_name,
                            const std::string& space_name, absl::Time now) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName("post.contest_entry.round", round_name,
                     {"tenants", "contests", "rounds"});
  if (!parts.ok()) return parts.status();
  if ((*parts)[0] != tenant) {
    return Invalid("post.contest_entry.round",
                   absl::StrCat("must belong to tenants/", tenant));
  }
  std::optional<v1::Contest> contest = FindContest(tx, tenant, (*parts)[1]);
  if (!contest.has_value() || contest->state() == v1::Contest::STATE_DRAFT) {
    return absl::NotFoundError(absl::StrCat(round_name, " not found"));
  }
  if (contest->space() != space_name) {
    return Invalid("post.space", "must be the contest's space");
  }
  for (const v1::Round& round : contest->rounds()) {
    if (round.round_id() != (*parts)[2]) continue;
    const int64_t at = absl::ToUnixMicros(now);
    const bool open =
        contest->state() == v1::Contest::STATE_PUBLISHED &&
        !round.grand_final() &&
        TimeUtil::TimestampToMicroseconds(round.submission_start_time()) <=
            at &&
        at < TimeUtil::TimestampToMicroseconds(round.submission_end_time());
    if (!open) {
      return status::WithReason(
          absl::FailedPreconditionError(
              "post.contest_entry.round: the round is not open for entries"),
          "ROUND_NOT_OPEN");
    }
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat(round_name, " not found"));
}

absl::StatusOr<CreatePlan> PlanCreate(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const v1::Post& post,
                                      const Writer& writer, absl::Time now) {
  CreatePlan plan;
  std::string space_id;
  if (IsTopLevel(post.kind())) {
    if (!post.in_reply_to().empty()) {
      return Invalid("post.in_reply_to", "only for answers and comments");
    }
    if (post.space().empty()) return Invalid("post.space", "required");
    absl::StatusOr<std::string> id =
        IdInTenant("post.space", post.space(), tenant, {"tenants", "spaces"});
    if (!id.ok()) return id.status();
    space_id = *id;
  } else {
    if (post.in_reply_to().empty()) {
      return Invalid("post.in_reply_to", "required for answers and comments");
    }
    absl::StatusOr<std::string> parent_id = IdInTenant(
        "post.in_reply_to", post.in_reply_to(), tenant, {"tenants", "posts"});
    if (!parent_id.ok()) return parent_id.status();
    plan.parent = FindPost(tx, tenant, *parent_id);
    if (!plan.parent.has_value() ||
        plan.parent->post.state() != common::POST_STATE_PUBLISHED) {
      return absl::NotFoundError(
          absl::StrCat(post.in_reply_to(), " not found"));
    }
    const common::ContentKind parent_kind = plan.parent->post.kind();
    if (post.kind() == common::CONTENT_KIND_ANSWER &&
        parent_kind != common::CONTENT_KIND_QUESTION) {
      return Invalid("post.in_reply_to", "answers reply to questions");
    }
    if (post.kind() == common::CONTENT_KIND_COMMENT &&
        parent_kind == common::CONTENT_KIND_COMMENT) {
      return Invalid("post.in_reply_to",
                     "comments attach to a post, not to a comment (use "
                     "in_reply_to_comment to reply in a thread)");
    }
    if (!post.in_reply_to_comment().empty()) {
      if (post.kind() != common::CONTENT_KIND_COMMENT) {
        return Invalid("post.in_reply_to_comment", "only for comments");
      }
      absl::StatusOr<std::string> comment_id =
          IdInTenant("post.in_reply_to_comment", post.in_reply_to_comment(),
                     tenant, {"tenants", "posts"});
      if (!comment_id.ok()) return comment_id.status();
      std::optional<StoredPost> comment = FindPost(tx, tenant, *comment_id);
      if (!comment.has_value() ||
          comment->post.state() != common::POST_STATE_PUBLISHED) {
        return absl::NotFoundError(
            absl::StrCat(post.in_reply_to_comment(), " not found"));
      }
      if (comment->post.kind() != common::CONTENT_KIND_COMMENT ||
          comment->in_reply_to != plan.parent->id) {
        return Invalid("post.in_reply_to_comment",
                       "must be a comment on post.in_reply_to");
      }
      // Threads are one level deep: a reply to a reply joins its thread.
      plan.in_reply_to_comment = comment->in_reply_to_comment.empty()
                                     ? comment->id
                                     : comment->in_reply_to_comment;
    }
    plan.thread_root = plan.parent->thread_root;
    space_id = plan.parent->space;
  }
  std::optional<v1::Space> space = FindSpace(tx, tenant, space_id);
  if (!space.has_value() || space->state() == v1::Space::STATE_HIDDEN) {
    return absl::NotFoundError(
        absl::StrCat("tenants/", tenant, "/spaces/", space_id, " not found"));
  }
  if (space->state() == v1::Space::STATE_ARCHIVED) {
    return status::WithReason(
        absl::FailedPreconditionError(
            "post.space: the space is archived (read-only)"),
        "SPACE_ARCHIVED");
  }
  if (IsTopLevel(post.kind()) && !SpaceAccepts(space->kind(), post.kind())) {
    return Invalid("post.kind",
                   absl::StrCat("a ", v1::SpaceKind_Name(space->kind()),
                                " space does not accept ",
                                common::ContentKind_Name(post.kind())));
  }
  plan.space = *space;

  if (!post.category().empty()) {
    if (post.kind() != common::CONTENT_KIND_QUESTION &&
        post.kind() != common::CONTENT_KIND_IDEA &&
        post.kind() != common::CONTENT_KIND_ARTICLE) {
      return Invalid("post.category",
                     "only questions, ideas and articles have one");
    }
    absl::StatusOr<std::vector<std::string>> parts = api::ParseName(
        "post.category", post.category(), {"tenants", "spaces", "categories"});
    if (!parts.ok()) return parts.status();
    if ((*parts)[0] != tenant || (*parts)[1] != space_id) {
      return Invalid("post.category", "must be a category of post.space");
    }
    std::optional<v1::Category> category =
        FindCategory(tx, tenant, space_id, (*parts)[2]);
    if (!category.has_value()) {
      return absl::NotFoundError(absl::StrCat(post.category(), " not found"));
    }
    if (category->state() != v1::Category::STATE_ACTIVE) {
      return Invalid("post.category", "is archived");
    }
    plan.category = (*parts)[2];
  } else if (post.kind() == common::CONTENT_KIND_IDEA) {
    return Invalid("post.category", "required for ideas");
  }

  if (post.kind() == common::CONTENT_KIND_REVIEW) {
    absl::StatusOr<std::string> product =
        IdInTenant("post.review.product", post.review().product(), tenant,
                   {"tenants", "products"});
    if (!product.ok()) return product.status();
    std::optional<v1::Product> found = FindProduct(tx, tenant, *product);
    if (!found.has_value()) {
      return absl::NotFoundError(
          absl::StrCat(post.review().product(), " not found"));
    }
    if (found->state() != v1::Product::STATE_ACTIVE) {
      return Invalid("post.review.product", "is withdrawn");
    }
    if (!tx.exec_params("SELECT 1 FROM posts WHERE tenant = $1 AND"
                        " kind = 6 AND product = $2 AND author = $3 AND"
                        " state NOT IN (5, 6)",
                        tenant, *product, writer.id)
             .empty()) {
      return status::WithReason(
          absl::FailedPreconditionError(
              "post.review.product: you already reviewed this product"),
          "ALREADY_REVIEWED");
    }
    plan.verified_customer =
        FindAuthorFacts(tx, tenant, writer.id).verified_customer;
  }
  if (post.kind() == common::CONTENT_KIND_CONTEST_ENTRY) {
    if (absl::Status s = CheckRoundOpen(
            tx, tenant, post.contest_entry().round(), space->name(), now);
        !s.ok()) {
      return s;
    }
  }
  return plan;
}

absl::Status CheckLanguage(const std::optional<TenantFacts>& tenant,
                           const std::string& language) {
  if (absl::Status s = api::ValidateLanguageTag("post.language", language);
      !s.ok()) {
    return s;
  }
  if (!tenant.has_value() || tenant->allowed_languages.empty()) {
    return absl::OkStatus();
  }
  for (const std::string& allowed : tenant->allowed_languages) {
    if (allowed == language) return absl::OkStatus();
  }
  return Invalid("post.language", "not one of the tenant's languages");
}

absl::Status CheckRate(pqxx::transaction_base& tx, const std::string& tenant,
                       const Writer& writer, int max_per_hour, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      "SELECT count(*) FROM posts WHERE tenant = $1 AND author = $2 AND"
      " create_time > timestamptz 'epoch' + $3::bigint *"
      " interval '1 microsecond'",
      tenant, writer.id,
      std::to_string(absl::ToUnixMicros(now - absl::Hours(1))));
  if (rows[0][0].as<int64_t>() >= max_per_hour) {
    return status::WithRetryDelay(
        absl::ResourceExhaustedError(absl::StrCat(
            "at most ", max_per_hour, " posts an hour; try again later")),
        absl::Minutes(5));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Post> CreatePost(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::CreatePostRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = auth::RequireTenant(caller, *tenant); !s.ok()) return s;
  v1::Post post = request.post();
  const common::ContentKind kind = post.kind();
  if (kind == common::CONTENT_KIND_UNSPECIFIED ||
      !common::ContentKind_IsValid(kind)) {
    return Invalid("post.kind", "required");
  }
  if (caller.is_service_account) {
    if (kind != common::CONTENT_KIND_ANSWER) {
      return absl::PermissionDeniedError(
          "service accounts post automated answers only");
    }
    if (absl::Status s = api::RequireScope(caller, *tenant, "content.write");
        !s.ok()) {
      return s;
    }
  } else if (caller.tenant != *tenant) {
    // A platform admin from another tenant moderates; members post at home.
    return absl::PermissionDeniedError("members post in their own tenant");
  }
  if (kind == common::CONTENT_KIND_ARTICLE && !IsStaff(&caller, *tenant)) {
    return absl::PermissionDeniedError("articles are written by staff");
  }
  if (absl::Status s = ValidateTitle(kind, post.title()); !s.ok()) return s;
  if (absl::Status s = ValidateBody("post.body", post.body()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateTags(kind, post.tags()); !s.ok()) return s;
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const Writer writer = WriterOf(caller, *tenant);
  const idempotency::IdempotencyKey key{
      *tenant, "CreatePost", request.request_id(), api::PrincipalName(caller)};
  const absl::Time now = context.now();

  // 1. Read what the post depends on (and answer a retry at once).
  std::optional<v1::Post> saved;
  CreatePlan plan;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        v1::Post previous;
        if (idempotency::FindSavedResponse(tx, key, previous)) {
          saved = previous;
          return absl::OkStatus();
        }
        if (absl::Status s = RequireKnownTenant(tx, *tenant); !s.ok()) return s;
        const v1::ContentSettings settings =
            LoadContentSettings(tx, *tenant).settings;
        if (absl::Status s = ValidateDetails(post, settings); !s.ok()) return s;
        const std::optional<TenantFacts> facts = FindTenantFacts(tx, *tenant);
        if (post.language().empty()) {
          const AuthorFacts author = FindAuthorFacts(tx, *tenant, writer.id);
          post.set_language(!author.language.empty() ? author.language
                            : facts.has_value()      ? facts->default_language
                                                     : "en");
        }
        if (absl::Status s = CheckLanguage(facts, post.language()); !s.ok()) {
          return s;
        }
        if (absl::Status s = CheckRate(tx, *tenant, writer,
                                       settings.max_posts_per_hour(), now);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<CreatePlan> planned =
            PlanCreate(tx, *tenant, post, writer, now);
        if (!planned.ok()) return planned.status();
        plan = *std::move(planned);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (saved.has_value()) return *saved;

  // 2. Screen outside any transaction (it may take its whole deadline).
  const std::string id = IdFor(*tenant, writer.id, request.request_id());
  post.set_name(PostResourceName(*tenant, id));
  post.set_revision_id(NewContentId());
  if (kind == common::CONTENT_KIND_ANSWER) {
    post.mutable_answer()->set_automated(writer.is_service);
    post.mutable_answer()->set_accepted(false);
  }
  if (kind == common::CONTENT_KIND_IDEA) {
    post.mutable_idea()->Clear();
    post.mutable_idea()->set_status(common::IDEA_STATUS_SUBMITTED);
  }
  if (kind == common::CONTENT_KIND_QUESTION) post.clear_question();
  if (kind == common::CONTENT_KIND_REVIEW) {
    post.mutable_review()->set_verified_customer(plan.verified_customer);
  }
  absl::StatusOr<ScreeningOutcome> screened = context.screening.Screen(
      ScreenRequestFor(*tenant, post, plan.space, writer, /*edit=*/false,
                       request.request_id()));
  if (!screened.ok()) return screened.status();
  const bool unscreened = ApplyScreening(*screened, post, now);

  // 3. Store the masked post, its revision, counters and events at once.
  NewPost row;
  row.tenant = *tenant;
  row.id = id;
  row.author = writer.id;
  row.author_is_service = writer.is_service;
  row.author_badges = writer.badges;
  row.space = plan.space.name().substr(plan.space.name().rfind('/') + 1);
  row.category = plan.category;
  row.in_reply_to = plan.parent.has_value() ? plan.parent->id : "";
  row.in_reply_to_comment = plan.in_reply_to_comment;
  row.thread_root = plan.parent.has_value() ? plan.thread_root : id;
  row.request_id = request.request_id();
  row.unscreened = unscreened;
  row.now = now;
  row.post = post;
  v1::Post created;
  status = pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
    if (idempotency::FindSavedResponse(tx, key, created)) {
      return absl::OkStatus();
    }
    if (!InsertPost(tx, row)) {
      // A retry whose first attempt committed without saving its answer
      // cannot happen (one transaction); the id is taken by another post.
      return absl::AbortedError("post id collision; retry");
    }
    std::optional<StoredPost> stored = FindPost(tx, *tenant, id);
    if (kind == common::CONTENT_KIND_IDEA) {
      InsertStatusChange(tx, *tenant, id, common::IDEA_STATUS_UNSPECIFIED,
                         common::IDEA_STATUS_SUBMITTED, v1::OfficialResponse(),
                         "", "", now);
    }
    if (absl::Status s = AnnounceCreated(context, tx, *stored, writer.actor,
                                         screened->screening.name());
        !s.ok()) {
      return s;
    }
    if (absl::Status s = AnnounceStateChange(
            context, tx, *stored, common::POST_STATE_UNSPECIFIED,
            /*first_publication=*/true, writer.actor);
        !s.ok()) {
      return s;
    }
    created = ViewOf(*stored, &caller);
    idempotency::SaveResponse(tx, key, created);
    return absl::OkStatus();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists &&
      kind == common::CONTENT_KIND_REVIEW) {
    // Two reviews of the same product raced past the check above.
    return status::WithReason(
        absl::FailedPreconditionError(
            "post.review.product: you already reviewed this product"),
        "ALREADY_REVIEWED");
  }
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Post> UpdatePost(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::UpdatePostRequest& request) {
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("post.name", request.post().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = auth::RequireTenant(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (request.update_mask().paths_size() == 1 &&
      request.update_mask().paths(0) == "*") {
    return Invalid("update_mask", "`*` is not accepted; name the fields");
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kEditableFields, "Post");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const Writer writer = WriterOf(caller, name->tenant);
  const idempotency::IdempotencyKey key{name->tenant, "UpdatePost",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  const absl::Time now = context.now();
  const v1::Post& changes = request.post();

  // 1. Read and check; build the new version.
  std::optional<v1::Post> saved;
  StoredPost current;
  v1::Space space;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        v1::Post previous;
        if (idempotency::FindSavedResponse(tx, key, previous)) {
          saved = previous;
          return absl::OkStatus();
        }
        std::optional<StoredPost> found =
            FindPost(tx, name->tenant, name->post);
        if (!found.has_value() || !CanSee(*found, &caller)) {
          return absl::NotFoundError(
              absl::StrCat(request.post().name(), " not found"));
        }
        if (found->author != caller.subject ||
            found->author_is_service != caller.is_service_account ||
            caller.tenant != name->tenant) {
          return absl::PermissionDeniedError("only the author edits a post");
        }
        if (!changes.etag().empty() && changes.etag() != found->post.etag()) {
          return api::EtagMismatch("post.etag", "the post");
        }
        const common::PostState state = found->post.state();
        if (state == common::POST_STATE_REMOVED ||
            state == common::POST_STATE_DELETED) {
          return absl::FailedPreconditionError(
              "post: removed and deleted posts cannot be edited");
        }
        const v1::ContentSettings settings =
            LoadContentSettings(tx, name->tenant).settings;
        const bool staff_article =
            found->post.kind() == common::CONTENT_KIND_ARTICLE &&
            IsStaff(&caller, name->tenant);
        const absl::Duration window =
            absl::Seconds(settings.edit_window().seconds());
        const absl::Time since = absl::FromUnixMicros(
            TimeUtil::TimestampToMicroseconds(found->post.create_time()));
        if (!staff_article && state != common::POST_STATE_REJECTED &&
            now - since > window) {
          return status::WithReason(
              absl::FailedPreconditionError("post: the edit window has closed"),
              "EDIT_WINDOW_CLOSED");
        }
        v1::Post& post = found->post;
        const common::ContentKind kind = post.kind();
        if (paths->contains("title")) post.set_title(changes.title());
        if (paths->contains("body")) post.set_body(changes.body());
        if (paths->contains("language")) post.set_language(changes.language());
        if (paths->contains("tags")) *post.mutable_tags() = changes.tags();
        if (paths->contains("category")) {
          if (kind != common::CONTENT_KIND_QUESTION &&
              kind != common::CONTENT_KIND_IDEA &&
              kind != common::CONTENT_KIND_ARTICLE) {
            return Invalid("update_mask", "this kind has no category");
          }
          if (changes.category().empty()) {
            if (kind == common::CONTENT_KIND_IDEA) {
              return Invalid("post.category", "required for ideas");
            }
            found->category.clear();
          } else {
            absl::StatusOr<std::vector<std::string>> parts =
                api::ParseName("post.category", changes.category(),
                               {"tenants", "spaces", "categories"});
            if (!parts.ok()) return parts.status();
            if ((*parts)[0] != name->tenant || (*parts)[1] != found->space) {
              return Invalid("post.category",
                             "must be a category of the post's space");
            }
            std::optional<v1::Category> category =
                FindCategory(tx, name->tenant, found->space, (*parts)[2]);
            if (!category.has_value() ||
                category->state() != v1::Category::STATE_ACTIVE) {
              return absl::NotFoundError(
                  absl::StrCat(changes.category(), " not found"));
            }
            found->category = (*parts)[2];
          }
          post.set_category(changes.category());
        }
        const auto review_path = [&](absl::string_view path) {
          if (kind != common::CONTENT_KIND_REVIEW) {
            return Invalid("update_mask", absl::StrCat(path, ": not a review"));
          }
          return absl::OkStatus();
        };
        for (const char* path :
             {"review.rating", "review.pros", "review.cons"}) {
          if (paths->contains(path)) {
            if (absl::Status s = review_path(path); !s.ok()) return s;
          }
        }
        if (paths->contains("review.rating")) {
          post.mutable_review()->set_rating(changes.review().rating());
        }
        if (paths->contains("review.pros")) {
          post.mutable_review()->set_pros(changes.review().pros());
        }
        if (paths->contains("review.cons")) {
          post.mutable_review()->set_cons(changes.review().cons());
        }
        for (const char* path :
             {"contest_entry.image_uri", "contest_entry.video_uri"}) {
          if (paths->contains(path) &&
              kind != common::CONTENT_KIND_CONTEST_ENTRY) {
            return Invalid("update_mask",
                           absl::StrCat(path, ": not a contest entry"));
          }
        }
        if (paths->contains("contest_entry.image_uri")) {
          post.mutable_contest_entry()->set_image_uri(
              changes.contest_entry().image_uri());
        }
        if (paths->contains("contest_entry.video_uri")) {
          post.mutable_contest_entry()->set_video_uri(
              changes.contest_entry().video_uri());
        }
        for (const char* path :
             {"article.summary", "article.cover_image_uri"}) {
          if (paths->contains(path) && kind != common::CONTENT_KIND_ARTICLE) {
            return Invalid("update_mask",
                           absl::StrCat(path, ": not an article"));
          }
        }
        if (paths->contains("article.summary")) {
          post.mutable_article()->set_summary(changes.article().summary());
        }
        if (paths->contains("article.cover_image_uri")) {
          post.mutable_article()->set_cover_image_uri(
              changes.article().cover_image_uri());
        }
        if (absl::Status s = ValidateTitle(kind, post.title()); !s.ok()) {
          return s;
        }
        if (absl::Status s = ValidateBody("post.body", post.body()); !s.ok()) {
          return s;
        }
        if (absl::Status s = ValidateTags(kind, post.tags()); !s.ok()) return s;
        if (absl::Status s = ValidateDetails(post, settings); !s.ok()) return s;
        if (absl::Status s = CheckLanguage(FindTenantFacts(tx, name->tenant),
                                           post.language());
            !s.ok()) {
          return s;
        }
        std::optional<v1::Space> found_space =
            FindSpace(tx, name->tenant, found->space);
        if (!found_space.has_value()) {
          return absl::NotFoundError("the post's space no longer exists");
        }
        space = *found_space;
        current = *found;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (saved.has_value()) return *saved;

  // 2. Screen the new version.
  const int64_t read_version = current.version;
  const common::PostState before = current.post.state();
  const bool was_published_once = current.post.has_publish_time();
  current.post.set_revision_id(NewContentId());
  absl::StatusOr<ScreeningOutcome> screened = context.screening.Screen(
      ScreenRequestFor(name->tenant, current.post, space, writer,
                       /*edit=*/true, request.request_id()));
  if (!screened.ok()) return screened.status();
  current.unscreened = ApplyScreening(*screened, current.post, now);

  // 3. Write it, unless the post changed meanwhile.
  v1::Post updated;
  status = pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
    if (idempotency::FindSavedResponse(tx, key, updated)) {
      return absl::OkStatus();
    }
    std::optional<StoredPost> now_stored =
        FindPost(tx, name->tenant, name->post, /*lock=*/true);
    if (!now_stored.has_value() || now_stored->version != read_version) {
      return api::EtagMismatch("post.etag",
                               "the post (changed while it was screened)");
    }
    UpdatePostRow(tx, current, now);
    tx.exec_params(
        "UPDATE posts SET edit_time = timestamptz 'epoch' + $3::bigint *"
        " interval '1 microsecond' WHERE tenant = $1 AND id = $2",
        name->tenant, name->post, std::to_string(absl::ToUnixMicros(now)));
    std::optional<StoredPost> stored = FindPost(tx, name->tenant, name->post);
    InsertRevision(tx, *stored, stored->post.revision_id(), writer.id,
                   writer.is_service, stored->post.moderation().verdict(), now);
    events::v1::Event event = NewContentEvent(
        context, name->tenant, writer.actor, stored->post.name());
    events::v1::PostUpdated& payload = *event.mutable_post_updated();
    payload.mutable_post()->set_kind(stored->post.kind());
    payload.mutable_post()->set_name(stored->post.name());
    payload.set_revision_id(stored->post.revision_id());
    payload.set_title(stored->post.title());
    payload.set_excerpt(ExcerptOf(stored->post.body()));
    for (const std::string& tag : stored->post.tags()) payload.add_tags(tag);
    payload.set_category(stored->post.category());
    payload.set_rating(stored->post.review().rating());
    payload.set_state(stored->post.state());
    payload.set_editor(api::PrincipalName(caller));
    *payload.mutable_update_time() = stored->post.update_time();
    if (absl::Status s = AppendContentEvent(context, tx, event); !s.ok()) {
      return s;
    }
    if (absl::Status s = AnnounceStateChange(context, tx, *stored, before,
                                             !was_published_once, writer.actor);
        !s.ok()) {
      return s;
    }
    updated = ViewOf(*stored, &caller);
    idempotency::SaveResponse(tx, key, updated);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<v1::Post> DeletePost(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::DeletePostRequest& request) {
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = auth::RequireTenant(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const common::Actor actor = api::ActorFor(caller);
  v1::Post deleted;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<StoredPost> found =
            FindPost(tx, name->tenant, name->post, /*lock=*/true);
        const bool own = found.has_value() && caller.tenant == name->tenant &&
                         found->author == caller.subject &&
                         found->author_is_service == caller.is_service_account;
        if (!found.has_value() || (!own && !CanSee(*found, &caller))) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!own) {
          return absl::PermissionDeniedError("only the author deletes a post");
        }
        const common::PostState before = found->post.state();
        if (before == common::POST_STATE_DELETED) {
          deleted = ViewOf(*found, &caller);
          return absl::OkStatus();
        }
        if (!request.etag().empty() && request.etag() != found->post.etag()) {
          return api::EtagMismatch("etag", "the post");
        }
        found->post.set_state(common::POST_STATE_DELETED);
        found->unscreened = false;
        UpdatePostRow(tx, *found, context.now());
        std::optional<StoredPost> stored =
            FindPost(tx, name->tenant, name->post);
        if (absl::Status s =
                AnnounceStateChange(context, tx, *stored, before, false, actor);
            !s.ok()) {
          return s;
        }
        deleted = ViewOf(*stored, &caller);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return deleted;
}

absl::StatusOr<int> RescreenHeldPosts(ContentContext& context, int limit) {
  std::vector<StoredPost> held;
  std::vector<v1::Space> spaces;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        held.clear();
        spaces.clear();
        const pqxx::result rows = tx.exec_params(
            "SELECT tenant, id FROM posts WHERE unscreened"
            " ORDER BY create_time LIMIT $1",
            limit);
        for (const pqxx::row& row : rows) {
          std::optional<StoredPost> post =
              FindPost(tx, row[0].as<std::string>(), row[1].as<std::string>());
          std::optional<v1::Space> space =
              post ? FindSpace(tx, post->tenant, post->space) : std::nullopt;
          if (!post.has_value() || !space.has_value()) continue;
          held.push_back(*std::move(post));
          spaces.push_back(*std::move(space));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  int screened_count = 0;
  for (size_t i = 0; i < held.size(); ++i) {
    StoredPost& post = held[i];
    Writer writer;
    writer.id = post.author;
    writer.is_service = post.author_is_service;
    // The author's trust is not kept with the post: screen as the most
    // cautious level; staff stay staff.
    writer.trust_level = common::TRUST_LEVEL_NEW;
    for (int badge : post.post.author().badges()) {
      if (badge == common::MEMBER_BADGE_STAFF) {
        writer.roles.push_back(common::ROLE_STAFF);
      }
    }
    absl::StatusOr<ScreeningOutcome> outcome = context.screening.Screen(
        ScreenRequestFor(post.tenant, post.post, spaces[i], writer,
                         /*edit=*/false, ""));
    if (!outcome.ok() || !outcome->answered) continue;
    const int64_t read_version = post.version;
    const common::PostState before = post.post.state();
    // Screening answered HOLD at most: moderation's queue decides (its
    // decision arrives as moderation.decided). Only the texts and the
    // outcome are refreshed; a PUBLISH verdict still waits for no one.
    ApplyScreening(*outcome, post.post, context.now());
    post.unscreened = false;
    status = pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
      std::optional<StoredPost> now_stored =
          FindPost(tx, post.tenant, post.id, /*lock=*/true);
      if (!now_stored.has_value() || now_stored->version != read_version) {
        return absl::OkStatus();  // decided or edited meanwhile
      }
      UpdatePostRow(tx, post, context.now());
      std::optional<StoredPost> stored = FindPost(tx, post.tenant, post.id);
      common::Actor system;
      system.set_type(common::ACTOR_TYPE_SYSTEM);
      return AnnounceStateChange(context, tx, *stored, before,
                                 !now_stored->post.has_publish_time(), system);
    });
    if (!status.ok()) {
      logging::Warn("content: rescreen failed",
                    {{"post", post.post.name()}, {"error", status.ToString()}});
      continue;
    }
    ++screened_count;
  }
  return screened_count;
}

}  // namespace agora::content
