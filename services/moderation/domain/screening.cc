#include "services/moderation/domain/screening.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/auth/roles.h"
#include "libs/events/event_record.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/author_history.h"
#include "services/moderation/domain/engine_adapter.h"
#include "services/moderation/domain/rules_cache.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/domain/text_limits.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/policy_store.h"
#include "services/moderation/repository/queue_store.h"

namespace agora::moderation {

using idempotency::ValidateRequestId;
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

// Risk added by the service's own findings (the engine scores the rest).
constexpr int kDuplicateRisk = 40;
constexpr int kVelocityRisk = 30;

absl::Status Validate(const v1::ScreenRequest& request,
                      const std::string& tenant) {
  absl::StatusOr<ResourceName> target =
      ParseResourceName("target.name", request.target().name(), "posts", true);
  if (!target.ok()) return target.status();
  if (target->tenant != tenant) {
    return absl::InvalidArgumentError(
        absl::StrCat("target.name: must be a post of tenants/", tenant));
  }
  if (request.author().empty() || request.author().size() > 300) {
    return absl::InvalidArgumentError(
        "author: required, at most 300 characters");
  }
  if (request.author_trust_level() < common::TRUST_LEVEL_NEW ||
      request.author_trust_level() > common::TRUST_LEVEL_LEADER) {
    return absl::InvalidArgumentError(
        "author_trust_level: required (NEW to LEADER)");
  }
  const std::string& language = request.language();
  if (language.size() < 2 || language.size() > 35 ||
      !std::all_of(language.begin(), language.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '-';
      })) {
    return absl::InvalidArgumentError(
        "language: a BCP-47 tag such as fr or nl-BE");
  }
  if (request.revision_id().size() > 64) {
    return absl::InvalidArgumentError("revision_id: at most 64 characters");
  }
  if (!request.space().empty()) {
    absl::StatusOr<ResourceName> space =
        ParseResourceName("space", request.space(), "spaces", true);
    if (!space.ok()) return space.status();
  }
  if (absl::Status s = CheckLength("title", request.title(), 0, 200); !s.ok())
    return s;
  if (absl::Status s = CheckLength("body", request.body(), 0, 40000); !s.ok())
    return s;
  if (request.extra_texts_size() > 10) {
    return absl::InvalidArgumentError("extra_texts: at most 10");
  }
  for (int i = 0; i < request.extra_texts_size(); ++i) {
    const std::string prefix = absl::StrCat("extra_texts[", i, "]");
    if (absl::Status s = CheckLength(prefix + ".field",
                                     request.extra_texts(i).field(), 1, 100);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckLength(prefix + ".text",
                                     request.extra_texts(i).text(), 0, 10000);
        !s.ok()) {
      return s;
    }
  }
  return ValidateRequestId(request.request_id());
}

bool HasRole(const v1::ScreenRequest& request, common::Role role) {
  return std::find(request.author_roles().begin(), request.author_roles().end(),
                   role) != request.author_roles().end();
}

std::optional<v1::Screening> FindByRequestId(pqxx::transaction_base& tx,
                                             const std::string& tenant,
                                             const std::string& request_id) {
  if (request_id.empty()) return std::nullopt;
  const pqxx::result rows = tx.exec_params(
      "SELECT screening FROM screenings WHERE tenant = $1 AND request_id = $2",
      tenant, request_id);
  if (rows.empty()) return std::nullopt;
  v1::Screening screening;
  screening.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  return screening;
}

common::Actor SystemActor() {
  common::Actor actor;
  actor.set_type(common::ACTOR_TYPE_SYSTEM);
  return actor;
}

}  // namespace

absl::StatusOr<v1::Screening> ScreenPost(ModerationContext& context,
                                         const auth::Principal& caller,
                                         const v1::ScreenRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  absl::Status allowed =
      request.dry_run() && !caller.is_service_account
          ? RequireTenantAdmin(caller, *tenant)
          : RequireScope(caller, *tenant, "moderation.screen");
  if (!allowed.ok()) return allowed;
  if (absl::Status valid = Validate(request, *tenant); !valid.ok())
    return valid;

  // Configuration and, for a retry, the first answer.
  std::shared_ptr<const TenantScreeningSetup> setup;
  std::optional<v1::Screening> earlier;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (!request.dry_run())
          earlier = FindByRequestId(tx, *tenant, request.request_id());
        if (earlier) return absl::OkStatus();
        absl::StatusOr<std::shared_ptr<const TenantScreeningSetup>> loaded =
            context.rules.Get(tx, *tenant);
        if (!loaded.ok()) return loaded.status();
        setup = *loaded;
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (earlier) return *earlier;

  // The engine.
  int trust = request.author_trust_level();
  if (HasRole(request, common::ROLE_TRUSTED_MEMBER)) {
    trust = std::min<int>(trust + 1, common::TRUST_LEVEL_LEADER);
  }
  screening::ScreeningInput input;
  input.language = request.language();
  input.trust_level = trust;
  input.author_is_staff = HasRole(request, common::ROLE_STAFF);
  input.space = request.space();
  input.texts.push_back({"title", request.title()});
  input.texts.push_back({"body", request.body()});
  for (const v1::ScreenedText& extra : request.extra_texts()) {
    input.texts.push_back({extra.field(), extra.text()});
  }
  screening::ScreeningResult result =
      screening::Screener().Screen(input, *setup->rules);

  // The author's recent activity (Redis), on the masked text only.
  const v1::ModerationPolicy& policy = setup->policy;
  const MinHashSignature signature = SignatureOf(absl::StrCat(
      result.masked_texts[0].text, "\n", result.masked_texts[1].text));
  std::optional<AuthorActivity> activity = CheckAndRecordAuthorActivity(
      context, *tenant, request.author(), request.target().name(), signature,
      absl::Seconds(TimeUtil::DurationToSeconds(policy.duplicate_lookback())),
      /*record=*/!request.dry_run());
  if (activity && activity->max_similarity >= policy.duplicate_similarity()) {
    result.findings.push_back({screening::FindingType::kDuplicate, "", -1, 0,
                               "builtin/duplicate", kDuplicateRisk, false});
    result.risk_score = std::min(100, result.risk_score + kDuplicateRisk);
  }
  if (activity &&
      activity->posts_last_10_minutes > policy.max_posts_per_10_minutes()) {
    result.findings.push_back({screening::FindingType::kVelocity, "", -1, 0,
                               "builtin/velocity", kVelocityRisk, false});
    result.risk_score = std::min(100, result.risk_score + kVelocityRisk);
  }
  const screening::Decision decision =
      screening::Decide(trust, result, EngineMatrix(policy, request.space()),
                        ToEngine(request.space_moderation_mode()));
  const screening::Verdict verdict = decision.verdict;

  // The answer.
  const absl::Time now = context.now();
  v1::Screening answer;
  *answer.mutable_target() = request.target();
  answer.set_verdict(ToProto(verdict));
  answer.set_masked_title(result.masked_texts[0].text);
  answer.set_masked_body(result.masked_texts[1].text);
  for (size_t i = 2; i < result.masked_texts.size(); ++i) {
    v1::ScreenedText& masked = *answer.add_masked_extra_texts();
    masked.set_field(result.masked_texts[i].field);
    masked.set_text(result.masked_texts[i].text);
  }
  for (const screening::Finding& finding : result.findings) {
    v1::Finding& out = *answer.add_findings();
    out.set_type(ToProto(finding.type));
    out.set_field(finding.field);
    out.set_start(finding.start);
    out.set_length(finding.length);
    out.set_rule(finding.rule);
    out.set_risk(finding.risk);
    out.set_masked(finding.masked);
  }
  answer.set_risk_score(result.risk_score);
  answer.set_effective_trust_level(static_cast<common::TrustLevel>(trust));
  for (screening::ReasonCode reason : decision.reasons)
    answer.add_reasons(ToProto(reason));
  *answer.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  if (request.dry_run()) return answer;

  const std::string id = events::NewEventId();
  answer.set_name(absl::StrCat("tenants/", *tenant, "/screenings/", id));
  const bool queued = verdict == screening::Verdict::kHold ||
                      verdict == screening::Verdict::kPublishThenReview;
  std::optional<v1::Screening> raced;
  absl::Status written =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        raced = FindByRequestId(tx, *tenant, request.request_id());
        if (raced) return absl::OkStatus();
        if (!queued) {
          // Published or rejected at once: nobody waits on this record, so
          // its commit does not wait for the disk (a crash may lose the last
          // fraction of a second of such records, never a queued post).
          tx.exec("SET LOCAL synchronous_commit = off");
        }
        v1::Screening stored = answer;
        if (queued) {
          NewQueueItem item;
          item.tenant = *tenant;
          item.target = request.target();
          item.space = request.space();
          item.author = request.author();
          item.source = verdict == screening::Verdict::kHold
                            ? v1::QUEUE_SOURCE_HELD
                            : v1::QUEUE_SOURCE_POST_REVIEW;
          item.risk_score = result.risk_score;
          item.screening_id = id;
          item.title = stored.masked_title();
          item.body = stored.masked_body();
          item.reasons.assign(stored.reasons().begin(), stored.reasons().end());
          item.findings.assign(stored.findings().begin(),
                               stored.findings().end());
          item.due_time =
              now +
              absl::Seconds(TimeUtil::DurationToSeconds(policy.review_sla()));
          absl::StatusOr<v1::QueueItem> created =
              InsertOrJoinQueueItem(tx, item);
          if (!created.ok()) return created.status();
          stored.set_queue_item(created->name());
          *stored.mutable_review_due_time() = created->due_time();
        }
        tx.exec_params(
            "INSERT INTO screenings (tenant, id, request_id, target_name, "
            "author, verdict,"
            " risk_score, screening) VALUES ($1, $2, NULLIF($3, ''), $4, $5, "
            "$6, "
            "$7, $8)",
            *tenant, id, request.request_id(), request.target().name(),
            request.author(), static_cast<int>(stored.verdict()),
            stored.risk_score(),
            pqxx::binarystring(stored.SerializeAsString()));
        AuditRecord audit;
        audit.type = v1::AUDIT_ENTRY_TYPE_SCREENING;
        audit.actor = SystemActor();
        audit.subject = request.target().name();
        nlohmann::json payload = {
            {"screening", stored.name()},
            {"verdict", common::ModerationVerdict_Name(stored.verdict())},
            {"risk_score", stored.risk_score()},
            {"findings", nlohmann::json::array()}};
        for (const v1::Finding& finding : stored.findings()) {
          payload["findings"].push_back(v1::FindingType_Name(finding.type()));
        }
        audit.payload_json = payload.dump();
        if (absl::Status recorded = AppendAuditEntry(tx, *tenant, audit);
            !recorded.ok()) {
          return recorded;
        }
        answer = std::move(stored);
        return absl::OkStatus();
      });
  if (!written.ok()) return written;
  if (raced) return *raced;
  return answer;
}

}  // namespace agora::moderation
