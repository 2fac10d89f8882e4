#include "services/moderation/domain/rules_admin.h"

#include <openssl/evp.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/audit_admin.h"
#include "services/moderation/domain/engine_adapter.h"
#include "services/moderation/domain/paging.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/domain/text_limits.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/rule_store.h"
#include "services/moderation/screening/rule_validation.h"

namespace agora::moderation {

using idempotency::FindSavedResponse;
using idempotency::IdempotencyKey;
using idempotency::SaveResponse;
using idempotency::ValidateRequestId;
namespace {

constexpr int kMaxTerms = screening::kMaxTermsPerRule;
constexpr int kMaxSpaces = screening::kMaxRuleSpaces;
// The engine compiles at most this many rules per tenant.
constexpr size_t kMaxRules = screening::kMaxRulesPerTenant;

// The fields UpdateRule may change ("*" means all of them), sorted.
constexpr std::string_view kMutableRuleFields[] = {
    "action",  "display_name", "enabled", "language",
    "pattern", "risk_weight",  "spaces",  "terms"};

bool IsRuleId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 63 || id.front() == '-' ||
      id.back() == '-') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// BCP-47 in the shape Agora uses: a 2-3 letter language, then subtags of
// 1-8 letters or digits ("fr", "nl-BE", "zh-Hant-TW").
bool IsLanguageTag(absl::string_view tag) {
  if (tag.size() > 35) return false;
  const std::vector<absl::string_view> subtags = absl::StrSplit(tag, '-');
  for (size_t i = 0; i < subtags.size(); ++i) {
    const absl::string_view subtag = subtags[i];
    const bool letters_only =
        std::all_of(subtag.begin(), subtag.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
    const bool alphanumeric =
        std::all_of(subtag.begin(), subtag.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9');
        });
    if (i == 0 ? !(letters_only && subtag.size() >= 2 && subtag.size() <= 3)
               : !(alphanumeric && !subtag.empty() && subtag.size() <= 8)) {
      return false;
    }
  }
  return true;
}

std::string RuleIdOf(const v1::Rule& rule) {
  const size_t slash = rule.name().rfind('/');
  return slash == std::string::npos ? rule.name()
                                    : rule.name().substr(slash + 1);
}

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), static_cast<size_t>(length)));
}

// What the audit log keeps of a rule: its shape, not its words. The
// fingerprint lets an auditor check a rule's content against the record
// without the record holding it.
nlohmann::json AuditDescription(const v1::Rule& rule) {
  nlohmann::json content = {
      {"action", v1::RuleAction_Name(rule.action())},
      {"display_name", rule.display_name()},
      {"enabled", rule.enabled()},
      {"language", rule.language()},
      {"risk_weight", rule.risk_weight()},
      {"spaces",
       std::vector<std::string>(rule.spaces().begin(), rule.spaces().end())},
  };
  nlohmann::json description = {
      {"rule_id", RuleIdOf(rule)},
      {"action", v1::RuleAction_Name(rule.action())},
      {"enabled", rule.enabled()},
      {"language", rule.language()},
      {"space_count", rule.spaces_size()},
      {"etag", rule.etag()},
  };
  if (rule.has_terms()) {
    content["terms"] = std::vector<std::string>(rule.terms().terms().begin(),
                                                rule.terms().terms().end());
    description["matcher"] = "terms";
    description["term_count"] = rule.terms().terms_size();
  } else {
    content["pattern"] = rule.pattern();
    description["matcher"] = "pattern";
    description["pattern_length"] = rule.pattern().size();
  }
  if (rule.action() == v1::RULE_ACTION_WATCH) {
    description["risk_weight"] = rule.risk_weight();
  }
  description["content_sha256"] = Sha256Hex(
      content.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return description;
}

absl::Status AppendRuleAudit(pqxx::transaction_base& tx,
                             const std::string& tenant,
                             const auth::Principal& caller,
                             const std::string& change, const v1::Rule& rule,
                             const std::vector<std::string>& fields) {
  nlohmann::json payload = AuditDescription(rule);
  payload["change"] = change;
  if (!fields.empty()) payload["fields"] = fields;
  AuditRecord record;
  record.type = v1::AUDIT_ENTRY_TYPE_RULE_CHANGED;
  record.actor = ActorFor(caller);
  record.subject = rule.name();
  record.payload_json =
      payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return AppendAuditEntry(tx, tenant, record);
}

// The last rule id of the previous page; "" for the first page.
absl::StatusOr<std::string> AfterRuleId(const std::string& token) {
  absl::StatusOr<std::string> position = DecodePageToken(token);
  if (!position.ok()) return position.status();
  if (!position->empty() && !IsRuleId(*position)) {
    return absl::InvalidArgumentError("page_token: invalid");
  }
  return position;
}

// The stored rule with the request's fields of `paths` applied. A matcher
// named in the mask but not set in the request is cleared (and the
// validation that follows refuses a rule without one).
v1::Rule ApplyMask(const v1::Rule& stored, const v1::Rule& update,
                   const std::vector<std::string>& paths) {
  v1::Rule merged = stored;
  for (const std::string& path : paths) {
    if (path == "display_name") {
      merged.set_display_name(update.display_name());
    } else if (path == "action") {
      merged.set_action(update.action());
    } else if (path == "language") {
      merged.set_language(update.language());
    } else if (path == "risk_weight") {
      merged.set_risk_weight(update.risk_weight());
    } else if (path == "enabled") {
      merged.set_enabled(update.enabled());
    } else if (path == "spaces") {
      *merged.mutable_spaces() = update.spaces();
    } else if (path == "terms") {
      if (update.has_terms()) {
        *merged.mutable_terms() = update.terms();
      } else if (merged.has_terms()) {
        merged.clear_matcher();
      }
    } else if (path == "pattern") {
      if (update.matcher_case() == v1::Rule::kPattern) {
        merged.set_pattern(update.pattern());
      } else if (merged.matcher_case() == v1::Rule::kPattern) {
        merged.clear_matcher();
      }
    }
  }
  return merged;
}

// The mask's paths, "*" expanded, sorted and deduplicated.
absl::StatusOr<std::vector<std::string>> MaskPaths(
    const google::protobuf::FieldMask& mask) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        "update_mask: required (\"*\" for every mutable field)");
  }
  std::set<std::string> paths;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      paths.insert(std::begin(kMutableRuleFields),
                   std::end(kMutableRuleFields));
      continue;
    }
    if (std::find(std::begin(kMutableRuleFields), std::end(kMutableRuleFields),
                  path) == std::end(kMutableRuleFields)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: ", path, " is not a mutable field of Rule"));
    }
    paths.insert(path);
  }
  return std::vector<std::string>(paths.begin(), paths.end());
}

}  // namespace

absl::Status ValidateTenantRule(const v1::Rule& rule,
                                const std::string& tenant) {
  if (absl::Status s =
          CheckLength("rule.display_name", rule.display_name(), 1, 100);
      !s.ok()) {
    return s;
  }
  if (rule.action() == v1::RULE_ACTION_UNSPECIFIED ||
      !v1::RuleAction_IsValid(rule.action())) {
    return absl::InvalidArgumentError(
        "rule.action: required (BLOCK, HOLD or WATCH)");
  }
  switch (rule.matcher_case()) {
    case v1::Rule::MATCHER_NOT_SET:
      return absl::InvalidArgumentError(
          "rule: exactly one of terms or pattern is required");
    case v1::Rule::kTerms: {
      const int count = rule.terms().terms_size();
      if (count < 1 || count > kMaxTerms) {
        return absl::InvalidArgumentError("rule.terms.terms: 1-1,000 entries");
      }
      for (int i = 0; i < count; ++i) {
        if (absl::Status s =
                CheckLength(absl::StrCat("rule.terms.terms[", i, "]"),
                            rule.terms().terms(i), 1, 100);
            !s.ok()) {
          return s;
        }
      }
      break;
    }
    case v1::Rule::kPattern:
      if (absl::Status s = CheckLength("rule.pattern", rule.pattern(), 1, 1000);
          !s.ok()) {
        return s;
      }
      break;
  }
  if (!rule.language().empty() && !IsLanguageTag(rule.language())) {
    return absl::InvalidArgumentError(
        "rule.language: a BCP-47 tag such as fr or nl-BE, or empty");
  }
  if (rule.action() == v1::RULE_ACTION_WATCH &&
      (rule.risk_weight() < 1 || rule.risk_weight() > 100)) {
    return absl::InvalidArgumentError(
        "rule.risk_weight: 1-100 for a WATCH rule");
  }
  if (rule.spaces_size() > kMaxSpaces) {
    return absl::InvalidArgumentError("rule.spaces: at most 50");
  }
  std::set<std::string> spaces;
  for (int i = 0; i < rule.spaces_size(); ++i) {
    const std::string field = absl::StrCat("rule.spaces[", i, "]");
    absl::StatusOr<ResourceName> space =
        ParseResourceName(field, rule.spaces(i), "spaces", true);
    if (!space.ok()) return space.status();
    if (space->tenant != tenant) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be a space of tenants/", tenant));
    }
    if (!spaces.insert(rule.spaces(i)).second) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": duplicate"));
    }
  }
  // What the engine will compile: RE2 syntax, program size, a pattern
  // that matches every text, terms that fold to nothing. Its messages name
  // its own fields ("pattern: does not compile: ...", "terms[3]: ...").
  absl::Status compiled = screening::ValidateRule(EngineRule(rule));
  if (!compiled.ok()) {
    absl::string_view message = compiled.message();
    if (absl::ConsumePrefix(&message, "pattern: ")) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule.pattern: PATTERN_INVALID: ", message));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        absl::StartsWith(message, "terms") ? "rule.terms." : "rule.", message));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Rule> CreateRule(ModerationContext& context,
                                    const auth::Principal& caller,
                                    const v1::CreateRuleRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireTenantAdmin(caller, *tenant); !s.ok()) return s;
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  if (!IsRuleId(request.rule_id())) {
    return absl::InvalidArgumentError(
        "rule_id: 2-63 characters of [a-z0-9-], not starting or ending with "
        "'-'");
  }
  if (!request.has_rule()) return absl::InvalidArgumentError("rule: required");
  v1::Rule rule = request.rule();
  rule.set_name(
      absl::StrCat("tenants/", *tenant, "/rules/", request.rule_id()));
  if (absl::Status s = ValidateTenantRule(rule, *tenant); !s.ok()) return s;

  const IdempotencyKey key{*tenant, "CreateRule", request.request_id(),
                           PrincipalName(caller)};
  v1::Rule answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        // Creations of a tenant's rules queue up here, so that two of them
        // cannot both take the last place.
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                       absl::StrCat("agora.moderation.rules.", *tenant));
        if (LoadRules(tx, *tenant).size() >= kMaxRules) {
          return absl::FailedPreconditionError(
              absl::StrCat("rules: a tenant has at most ", kMaxRules,
                           " rules; delete one first"));
        }
        absl::StatusOr<v1::Rule> created =
            InsertRule(tx, *tenant, request.rule_id(), rule);
        if (!created.ok()) return created.status();
        if (absl::Status s =
                AppendRuleAudit(tx, *tenant, caller, "created", *created, {});
            !s.ok()) {
          return s;
        }
        SaveResponse(tx, key, *created);
        answer = *std::move(created);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<v1::Rule> GetRule(ModerationContext& context,
                                 const auth::Principal& caller,
                                 const v1::GetRuleRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "rules", true);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModerator(caller, name->tenant); !s.ok()) {
    return s;
  }
  std::optional<v1::Rule> rule;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        rule = FindRule(tx, name->tenant, name->id);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!rule) {
    return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  }
  return *std::move(rule);
}

absl::StatusOr<v1::ListRulesResponse> ListRules(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ListRulesRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireModerator(caller, *tenant); !s.ok()) return s;
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::string> after = AfterRuleId(request.page_token());
  if (!after.ok()) return after.status();
  if (!request.language().empty() && !IsLanguageTag(request.language())) {
    return absl::InvalidArgumentError(
        "language: a BCP-47 tag such as fr or nl-BE");
  }
  if (!v1::RuleAction_IsValid(request.action())) {
    return absl::InvalidArgumentError("action: unknown value");
  }

  // A tenant's rules are few (the rules cache compiles them all), so one
  // ordered read filtered here is simpler than filtering on the stored
  // messages in SQL.
  std::vector<v1::Rule> rules;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        rules = LoadRules(tx, *tenant);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;

  v1::ListRulesResponse response;
  for (v1::Rule& rule : rules) {
    if (!after->empty() && RuleIdOf(rule) <= *after) continue;
    if (!request.language().empty() &&
        !absl::EqualsIgnoreCase(rule.language(), request.language())) {
      continue;
    }
    if (request.action() != v1::RULE_ACTION_UNSPECIFIED &&
        rule.action() != request.action()) {
      continue;
    }
    if (response.rules_size() == *page_size) {
      response.set_next_page_token(
          EncodePageToken(RuleIdOf(response.rules(*page_size - 1))));
      break;
    }
    *response.add_rules() = std::move(rule);
  }
  return response;
}

absl::StatusOr<v1::Rule> UpdateRule(ModerationContext& context,
                                    const auth::Principal& caller,
                                    const v1::UpdateRuleRequest& request) {
  if (!request.has_rule()) return absl::InvalidArgumentError("rule: required");
  absl::StatusOr<ResourceName> name =
      ParseResourceName("rule.name", request.rule().name(), "rules", true);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireTenantAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<std::string>> paths =
      MaskPaths(request.update_mask());
  if (!paths.ok()) return paths.status();

  const IdempotencyKey key{name->tenant, "UpdateRule", request.request_id(),
                           PrincipalName(caller)};
  v1::Rule answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        std::optional<v1::Rule> stored = FindRule(tx, name->tenant, name->id);
        if (!stored) {
          return absl::NotFoundError(
              absl::StrCat(request.rule().name(), " not found"));
        }
        const std::string& etag = request.rule().etag();
        if (!etag.empty() && etag != stored->etag()) {
          return absl::FailedPreconditionError(
              "rule.etag: the rule changed since it was read");
        }
        const v1::Rule merged = ApplyMask(*stored, request.rule(), *paths);
        if (absl::Status s = ValidateTenantRule(merged, name->tenant);
            !s.ok()) {
          return s;
        }
        // Without a client etag, the version read above guards the merge:
        // a concurrent update in between fails rather than being lost.
        absl::StatusOr<v1::Rule> replaced =
            ReplaceRule(tx, name->tenant, name->id, merged, stored->etag());
        if (!replaced.ok()) return replaced.status();
        if (absl::Status s = AppendRuleAudit(tx, name->tenant, caller,
                                             "updated", *replaced, *paths);
            !s.ok()) {
          return s;
        }
        SaveResponse(tx, key, *replaced);
        answer = *std::move(replaced);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<google::protobuf::Empty> DeleteRule(
    ModerationContext& context, const auth::Principal& caller,
    const v1::DeleteRuleRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "rules", true);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireTenantAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<v1::Rule> stored = FindRule(tx, name->tenant, name->id);
        if (!stored) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!request.etag().empty() && request.etag() != stored->etag()) {
          return absl::FailedPreconditionError(
              "etag: the rule changed since it was read");
        }
        if (absl::Status s = agora::moderation::DeleteRule(
                tx, name->tenant, name->id, stored->etag());
            !s.ok()) {
          return s;
        }
        return AppendRuleAudit(tx, name->tenant, caller, "deleted", *stored,
                               {});
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

}  // namespace agora::moderation
