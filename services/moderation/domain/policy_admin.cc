#include "services/moderation/domain/policy_admin.h"

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/audit_admin.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/policy_store.h"

namespace agora::moderation {

using idempotency::FindSavedResponse;
using idempotency::IdempotencyKey;
using idempotency::SaveResponse;
using idempotency::ValidateRequestId;
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;

constexpr int kMaxSpaceMatrices = 100;
constexpr int kMaxAllowedDomains = 500;
constexpr int kMaxBankDomains = 50;
// Beyond this the audit entry records which fields changed but not their
// values (an entry's payload is at most 16,000 characters).
constexpr size_t kMaxAuditValuesLength = 12000;

// The paths UpdateModerationPolicy accepts; "*" stands for the top-level
// ones.
constexpr std::string_view kTopLevelFields[] = {"appeal_window",
                                                "decision_matrix",
                                                "duplicate_lookback",
                                                "duplicate_similarity",
                                                "flag_threshold",
                                                "link_policy",
                                                "max_posts_per_10_minutes",
                                                "review_sla",
                                                "shouting_uppercase_ratio",
                                                "space_matrices"};
constexpr std::string_view kLinkPolicyFields[] = {
    "link_policy.allowed_domains", "link_policy.bank_domains",
    "link_policy.max_links_per_post", "link_policy.min_trust_level"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(
      absl::StrCat("moderation_policy.", field, ": ", rule));
}

bool Contains(const auto& values, std::string_view value) {
  return std::find(std::begin(values), std::end(values), value) !=
         std::end(values);
}

absl::Status ValidateMatrix(const std::string& field,
                            const v1::DecisionMatrix& matrix) {
  if (matrix.thresholds_size() !=
      common::TRUST_LEVEL_LEADER - common::TRUST_LEVEL_NEW + 1) {
    return Invalid(absl::StrCat(field, ".thresholds"),
                   "one row per trust level NEW to LEADER");
  }
  std::set<int> levels;
  for (int i = 0; i < matrix.thresholds_size(); ++i) {
    const v1::TrustRiskThresholds& row = matrix.thresholds(i);
    const std::string prefix = absl::StrCat(field, ".thresholds[", i, "]");
    if (row.trust_level() < common::TRUST_LEVEL_NEW ||
        row.trust_level() > common::TRUST_LEVEL_LEADER) {
      return Invalid(prefix + ".trust_level", "NEW to LEADER");
    }
    if (!levels.insert(row.trust_level()).second) {
      return Invalid(prefix + ".trust_level", "duplicate trust level");
    }
    if (row.publish_below() < 0 || row.publish_below() > 101) {
      return Invalid(prefix + ".publish_below", "0-101");
    }
    if (row.review_below() < row.publish_below() || row.review_below() > 101) {
      return Invalid(prefix + ".review_below",
                     "0-101 and not below publish_below");
    }
    if (row.hold_below() < row.review_below() || row.hold_below() > 101) {
      return Invalid(prefix + ".hold_below",
                     "0-101 and not below review_below");
    }
  }
  return absl::OkStatus();
}

// A lower-case host name of at least two labels; `*.` in front when
// `wildcard` is allowed.
bool IsDomain(absl::string_view domain, bool wildcard) {
  if (wildcard) absl::ConsumePrefix(&domain, "*.");
  if (domain.empty() || domain.size() > 253) return false;
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
  }
  return true;
}

absl::Status ValidateDomains(
    const std::string& field,
    const google::protobuf::RepeatedPtrField<std::string>& domains, int max,
    bool wildcard) {
  if (domains.size() > max) {
    return Invalid(field, absl::StrCat("at most ", max));
  }
  for (int i = 0; i < domains.size(); ++i) {
    if (!IsDomain(domains[i], wildcard)) {
      return Invalid(absl::StrCat(field, "[", i, "]"),
                     wildcard ? "a lower-case domain such as example.com or "
                                "*.example.com"
                              : "a lower-case domain such as example.com");
    }
  }
  return absl::OkStatus();
}

// A set duration within [min, max]; an unset one is the default.
absl::Status ValidateDuration(absl::string_view field, bool present,
                              const google::protobuf::Duration& duration,
                              absl::Duration min, absl::Duration max,
                              absl::string_view range) {
  if (!present) return absl::OkStatus();
  if (duration.seconds() < TimeUtil::kDurationMinSeconds ||
      duration.seconds() > TimeUtil::kDurationMaxSeconds ||
      duration.nanos() <= -1000000000 || duration.nanos() >= 1000000000 ||
      (duration.seconds() > 0 && duration.nanos() < 0) ||
      (duration.seconds() < 0 && duration.nanos() > 0)) {
    return Invalid(field, "not a valid duration");
  }
  const absl::Duration value =
      absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
  if (value < min || value > max) return Invalid(field, range);
  return absl::OkStatus();
}

// Zero is the default; NaN fails every comparison and is refused.
bool InRangeOrDefault(double value, double min, double max) {
  return value == 0 || (value >= min && value <= max);
}

// The mask's paths, "*" expanded.
absl::StatusOr<google::protobuf::FieldMask> ExpandMask(
    const google::protobuf::FieldMask& mask) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        "update_mask: required (\"*\" for every field)");
  }
  std::set<std::string> paths;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      paths.insert(std::begin(kTopLevelFields), std::end(kTopLevelFields));
    } else if (Contains(kTopLevelFields, path) ||
               Contains(kLinkPolicyFields, path)) {
      paths.insert(path);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: ", path,
                       " is not a mutable field of ModerationPolicy"));
    }
  }
  google::protobuf::FieldMask expanded;
  for (const std::string& path : paths) expanded.add_paths(path);
  return expanded;
}

// The audit payload: which fields changed, their new values (unless too
// long), the versions. Policies hold no personal data.
std::string AuditPayload(const v1::ModerationPolicy& saved,
                         const google::protobuf::FieldMask& mask,
                         const std::string& previous_etag) {
  nlohmann::json payload = {
      {"fields",
       std::vector<std::string>(mask.paths().begin(), mask.paths().end())},
      {"previous_etag", previous_etag},
      {"etag", saved.etag()},
  };
  v1::ModerationPolicy values = saved;
  FieldMaskUtil::TrimMessage(mask, &values);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  const bool printed =
      google::protobuf::util::MessageToJsonString(values, &json, options).ok();
  if (printed && json.size() <= kMaxAuditValuesLength) {
    payload["values"] = nlohmann::json::parse(json, nullptr, false);
  } else {
    payload["values_omitted"] = true;
  }
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

absl::Status ValidatePolicy(const v1::ModerationPolicy& policy,
                            const std::string& tenant) {
  if (!policy.decision_matrix().thresholds().empty()) {
    if (absl::Status s =
            ValidateMatrix("decision_matrix", policy.decision_matrix());
        !s.ok()) {
      return s;
    }
  }
  if (policy.space_matrices_size() > kMaxSpaceMatrices) {
    return Invalid("space_matrices", "at most 100");
  }
  std::set<std::string> spaces;
  for (int i = 0; i < policy.space_matrices_size(); ++i) {
    const v1::SpaceDecisionMatrix& entry = policy.space_matrices(i);
    const std::string prefix = absl::StrCat("space_matrices[", i, "]");
    absl::StatusOr<ResourceName> space =
        ParseResourceName(absl::StrCat("moderation_policy.", prefix, ".space"),
                          entry.space(), "spaces", true);
    if (!space.ok()) return space.status();
    if (space->tenant != tenant) {
      return Invalid(prefix + ".space",
                     absl::StrCat("must be a space of tenants/", tenant));
    }
    if (!spaces.insert(entry.space()).second) {
      return Invalid(prefix + ".space", "duplicate space");
    }
    if (absl::Status s = ValidateMatrix(prefix + ".matrix", entry.matrix());
        !s.ok()) {
      return s;
    }
  }

  const v1::LinkPolicy& links = policy.link_policy();
  if (absl::Status s = ValidateDomains("link_policy.allowed_domains",
                                       links.allowed_domains(),
                                       kMaxAllowedDomains, /*wildcard=*/true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateDomains("link_policy.bank_domains", links.bank_domains(),
                          kMaxBankDomains, /*wildcard=*/false);
      !s.ok()) {
    return s;
  }
  if (links.min_trust_level() != common::TRUST_LEVEL_UNSPECIFIED &&
      (links.min_trust_level() < common::TRUST_LEVEL_NEW ||
       links.min_trust_level() > common::TRUST_LEVEL_LEADER)) {
    return Invalid("link_policy.min_trust_level", "NEW to LEADER");
  }
  if (links.max_links_per_post() < 0 || links.max_links_per_post() > 100) {
    return Invalid("link_policy.max_links_per_post", "0-100");
  }

  if (!InRangeOrDefault(policy.shouting_uppercase_ratio(), 0.5, 1.0)) {
    return Invalid("shouting_uppercase_ratio", "0.5-1.0");
  }
  if (!InRangeOrDefault(policy.duplicate_similarity(), 0.5, 1.0)) {
    return Invalid("duplicate_similarity", "0.5-1.0");
  }
  if (absl::Status s = ValidateDuration(
          "duplicate_lookback", policy.has_duplicate_lookback(),
          policy.duplicate_lookback(), absl::Hours(1), absl::Hours(30 * 24),
          "1 hour to 30 days");
      !s.ok()) {
    return s;
  }
  if (policy.max_posts_per_10_minutes() < 0 ||
      policy.max_posts_per_10_minutes() > 1000) {
    return Invalid("max_posts_per_10_minutes", "1-1,000");
  }
  if (!InRangeOrDefault(policy.flag_threshold(), 1.0, 100.0)) {
    return Invalid("flag_threshold", "1.0-100.0");
  }
  if (absl::Status s = ValidateDuration(
          "review_sla", policy.has_review_sla(), policy.review_sla(),
          absl::Minutes(1), absl::Hours(7 * 24), "1 minute to 7 days");
      !s.ok()) {
    return s;
  }
  return ValidateDuration("appeal_window", policy.has_appeal_window(),
                          policy.appeal_window(), absl::Hours(24),
                          absl::Hours(90 * 24), "1 to 90 days");
}

absl::StatusOr<v1::ModerationPolicy> GetModerationPolicy(
    ModerationContext& context, const auth::Principal& caller,
    const v1::GetModerationPolicyRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "moderationPolicy", false);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModerator(caller, name->tenant); !s.ok()) {
    return s;
  }
  v1::ModerationPolicy policy;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        policy = LoadPolicy(tx, name->tenant);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return policy;
}

absl::StatusOr<v1::ModerationPolicy> UpdateModerationPolicy(
    ModerationContext& context, const auth::Principal& caller,
    const v1::UpdateModerationPolicyRequest& request) {
  if (!request.has_moderation_policy()) {
    return absl::InvalidArgumentError("moderation_policy: required");
  }
  absl::StatusOr<ResourceName> name = ParseResourceName(
      "moderation_policy.name", request.moderation_policy().name(),
      "moderationPolicy", false);
  if (!name.ok()) return name.status();
  const std::string& tenant = name->tenant;
  if (absl::Status s = RequireTenantAdmin(caller, tenant); !s.ok()) return s;
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ExpandMask(request.update_mask());
  if (!mask.ok()) return mask.status();

  const IdempotencyKey key{tenant, "UpdateModerationPolicy",
                           request.request_id(), PrincipalName(caller)};
  v1::ModerationPolicy answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        const v1::ModerationPolicy current = LoadPolicy(tx, tenant);
        const std::string& etag = request.moderation_policy().etag();
        if (!etag.empty() && etag != current.etag()) {
          return absl::FailedPreconditionError(
              "moderation_policy.etag: the policy changed since "
              "it was read");
        }
        v1::ModerationPolicy merged = current;
        FieldMaskUtil::MergeOptions options;
        options.set_replace_message_fields(true);
        options.set_replace_repeated_fields(true);
        FieldMaskUtil::MergeMessageTo(request.moderation_policy(), *mask,
                                      options, &merged);
        if (absl::Status s = ValidatePolicy(merged, tenant); !s.ok()) return s;
        // The version read above guards the merge against a concurrent
        // update when the client sent no etag.
        absl::StatusOr<v1::ModerationPolicy> saved =
            SavePolicy(tx, tenant, merged, current.etag());
        if (!saved.ok()) return saved.status();
        AuditRecord record;
        record.type = v1::AUDIT_ENTRY_TYPE_POLICY_CHANGED;
        record.actor = ActorFor(caller);
        record.subject = saved->name();
        record.payload_json = AuditPayload(*saved, *mask, current.etag());
        if (absl::Status s = AppendAuditEntry(tx, tenant, record); !s.ok()) {
          return s;
        }
        SaveResponse(tx, key, *saved);
        answer = *std::move(saved);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

}  // namespace agora::moderation
