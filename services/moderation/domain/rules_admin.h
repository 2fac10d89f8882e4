// Tenant rules administration: CreateRule, GetRule, ListRules, UpdateRule,
// DeleteRule. Tenant admins write; moderators and tenant admins read. Every
// rule is validated as a whole before it is stored (the screening engine
// compiles RE2 patterns within its program-size limit), and every change is
// recorded in the audit log (AUDIT_ENTRY_TYPE_RULE_CHANGED) in the
// transaction that makes it. The audit payload describes the change (rule
// id, action, matcher kind and size, language, changed fields, a SHA-256 of
// the rule) without the rule's terms or pattern.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_RULES_ADMIN_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_RULES_ADMIN_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// INVALID_ARGUMENT naming the first offending field ("rule.display_name:
// 1-100 characters", "rule.pattern: PATTERN_INVALID: ..."): display_name
// 1-100 characters; action set; exactly one of terms (1-1,000 entries of
// 1-100 characters) and pattern (1-1,000 characters, compiles as RE2);
// language empty or BCP-47; risk_weight 1-100 for WATCH; at most 50
// distinct spaces of `tenant`.
absl::Status ValidateTenantRule(const agora::moderation::v1::Rule& rule,
                                const std::string& tenant);

// Creates `rule_id` (2-63 characters of [a-z0-9-], starting with a letter or
// digit, not ending with '-'). Idempotent by request_id. ALREADY_EXISTS when
// the id is taken.
absl::StatusOr<agora::moderation::v1::Rule> CreateRule(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::CreateRuleRequest& request);

// NOT_FOUND when the tenant has no such rule.
absl::StatusOr<agora::moderation::v1::Rule> GetRule(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::GetRuleRequest& request);

// Rules ordered by id, filtered by language and action; keyset pages
// (page_size default 20, larger than 100 read as 100; the token carries
// the last id returned).
absl::StatusOr<agora::moderation::v1::ListRulesResponse> ListRules(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ListRulesRequest& request);

// Applies the fields of `update_mask` ("*" for every mutable field) to the
// stored rule and validates the result. FAILED_PRECONDITION when
// `rule.etag` is set and stale; NOT_FOUND. Idempotent by request_id.
absl::StatusOr<agora::moderation::v1::Rule> UpdateRule(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::UpdateRuleRequest& request);

// NOT_FOUND; FAILED_PRECONDITION when `etag` is set and stale.
absl::StatusOr<google::protobuf::Empty> DeleteRule(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::DeleteRuleRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_RULES_ADMIN_H_
