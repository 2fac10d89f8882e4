#include "services/content/domain/content_settings.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/api/caller.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr absl::string_view kMutableFields[] = {
    "idea_workflow",        "edit_window",
    "erased_member_policy", "official_response_target",
    "max_posts_per_hour",   "allowed_media_hosts"};

void AddStatus(
    v1::IdeaWorkflow& workflow, common::IdeaStatus status, bool terminal,
    std::initializer_list<std::pair<const char*, const char*>> labels) {
  v1::IdeaStatusDefinition* definition = workflow.add_statuses();
  definition->set_status(status);
  definition->set_terminal(terminal);
  for (const auto& [language, text] : labels) {
    (*definition->mutable_label()->mutable_translations())[language] = text;
  }
}

void AddTransition(v1::IdeaWorkflow& workflow, common::IdeaStatus from,
                   common::IdeaStatus to) {
  v1::IdeaStatusTransition* transition = workflow.add_transitions();
  transition->set_from_status(from);
  transition->set_to_status(to);
}

std::string SettingsName(const std::string& tenant) {
  return absl::StrCat("tenants/", tenant, "/contentSettings");
}

absl::StatusOr<std::string> ParseSettingsName(absl::string_view field,
                                              absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants"}, "contentSettings");
  if (!parts.ok()) return parts.status();
  return (*parts)[0];
}

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

absl::Status ValidateDays(absl::string_view field,
                          const google::protobuf::Duration& duration, int min,
                          int max) {
  const int64_t seconds = duration.seconds();
  if (duration.nanos() != 0 || seconds < int64_t{min} * 86400 ||
      seconds > int64_t{max} * 86400) {
    return Invalid(field, absl::StrCat("must be ", min, "-", max, " days"));
  }
  return absl::OkStatus();
}

absl::Status ValidateWorkflow(const v1::IdeaWorkflow& workflow) {
  if (workflow.statuses_size() > 7) {
    return Invalid("content_settings.idea_workflow.statuses", "at most 7");
  }
  std::set<int> enabled;
  for (int i = 0; i < workflow.statuses_size(); ++i) {
    const v1::IdeaStatusDefinition& definition = workflow.statuses(i);
    const std::string field =
        absl::StrCat("content_settings.idea_workflow.statuses[", i, "]");
    if (definition.status() == common::IDEA_STATUS_UNSPECIFIED ||
        !common::IdeaStatus_IsValid(definition.status())) {
      return Invalid(absl::StrCat(field, ".status"), "must be a status");
    }
    if (!enabled.insert(definition.status()).second) {
      return Invalid(absl::StrCat(field, ".status"), "listed twice");
    }
    if (definition.label().translations().empty() ||
        definition.label().translations_size() > 16) {
      return Invalid(absl::StrCat(field, ".label"), "1-16 translations");
    }
    for (const auto& [language, text] : definition.label().translations()) {
      if (absl::Status s =
              api::ValidateLanguageTag(absl::StrCat(field, ".label"), language);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = api::ValidateText(
              absl::StrCat(field, ".label[", language, "]"), text, 1, 40);
          !s.ok()) {
        return s;
      }
    }
  }
  if (!enabled.contains(common::IDEA_STATUS_SUBMITTED) ||
      !enabled.contains(common::IDEA_STATUS_DUPLICATE)) {
    return Invalid("content_settings.idea_workflow.statuses",
                   "must include SUBMITTED and DUPLICATE");
  }
  if (workflow.transitions_size() > 49) {
    return Invalid("content_settings.idea_workflow.transitions", "at most 49");
  }
  for (int i = 0; i < workflow.transitions_size(); ++i) {
    const v1::IdeaStatusTransition& transition = workflow.transitions(i);
    const std::string field =
        absl::StrCat("content_settings.idea_workflow.transitions[", i, "]");
    if (!enabled.contains(transition.from_status()) ||
        !enabled.contains(transition.to_status())) {
      return Invalid(field, "names a status the workflow does not enable");
    }
    if (transition.to_status() == common::IDEA_STATUS_DUPLICATE) {
      return Invalid(field,
                     "moves to DUPLICATE happen only through MergeIdeas");
    }
    if (transition.from_status() == transition.to_status()) {
      return Invalid(field, "must change the status");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSettings(const v1::ContentSettings& settings,
                              const std::set<std::string>& paths) {
  if (paths.contains("idea_workflow")) {
    if (absl::Status s = ValidateWorkflow(settings.idea_workflow()); !s.ok()) {
      return s;
    }
  }
  if (paths.contains("edit_window")) {
    if (absl::Status s = ValidateDays("content_settings.edit_window",
                                      settings.edit_window(), 0, 365);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("official_response_target")) {
    if (absl::Status s =
            ValidateDays("content_settings.official_response_target",
                         settings.official_response_target(), 1, 365);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("erased_member_policy") &&
      !v1::ContentSettings::ErasedMemberPolicy_IsValid(
          settings.erased_member_policy())) {
    return Invalid("content_settings.erased_member_policy", "unknown policy");
  }
  if (paths.contains("max_posts_per_hour") &&
      (settings.max_posts_per_hour() < 1 ||
       settings.max_posts_per_hour() > 1000)) {
    return Invalid("content_settings.max_posts_per_hour", "must be 1-1000");
  }
  if (paths.contains("allowed_media_hosts")) {
    if (settings.allowed_media_hosts_size() > 50) {
      return Invalid("content_settings.allowed_media_hosts", "at most 50");
    }
    for (int i = 0; i < settings.allowed_media_hosts_size(); ++i) {
      const std::string& host = settings.allowed_media_hosts(i);
      bool ok = !host.empty() && host.size() <= 253;
      for (size_t j = 0; j < host.size(); ++j) {
        const char c = host[j];
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || (c == '*' && j == 0));
      }
      if (ok && host[0] == '*') ok = host.size() > 2 && host[1] == '.';
      if (!ok) {
        return Invalid(
            absl::StrCat("content_settings.allowed_media_hosts[", i, "]"),
            "a lowercase host name, or *.example.com for its subdomains");
      }
    }
  }
  return absl::OkStatus();
}

void Merge(const v1::ContentSettings& from, const std::set<std::string>& paths,
           v1::ContentSettings& into) {
  if (paths.contains("idea_workflow")) {
    *into.mutable_idea_workflow() = from.idea_workflow();
  }
  if (paths.contains("edit_window")) {
    *into.mutable_edit_window() = from.edit_window();
  }
  if (paths.contains("erased_member_policy")) {
    into.set_erased_member_policy(from.erased_member_policy());
  }
  if (paths.contains("official_response_target")) {
    *into.mutable_official_response_target() = from.official_response_target();
  }
  if (paths.contains("max_posts_per_hour")) {
    into.set_max_posts_per_hour(from.max_posts_per_hour());
  }
  if (paths.contains("allowed_media_hosts")) {
    *into.mutable_allowed_media_hosts() = from.allowed_media_hosts();
  }
}

}  // namespace

v1::ContentSettings DefaultContentSettings(const std::string& tenant) {
  v1::ContentSettings settings;
  settings.set_name(SettingsName(tenant));
  v1::IdeaWorkflow& workflow = *settings.mutable_idea_workflow();
  AddStatus(workflow, common::IDEA_STATUS_SUBMITTED, false,
            {{"en", "Submitted"},
             {"fr", "Soumise"},
             {"it", "Inviata"},
             {"nl", "Ingediend"},
             {"pl", "Zgłoszony"}});
  AddStatus(workflow, common::IDEA_STATUS_UNDER_REVIEW, false,
            {{"en", "Under review"},
             {"fr", "À l'étude"},
             {"it", "In valutazione"},
             {"nl", "In behandeling"},
             {"pl", "W analizie"}});
  AddStatus(workflow, common::IDEA_STATUS_PLANNED, false,
            {{"en", "Planned"},
             {"fr", "Planifiée"},
             {"it", "Pianificata"},
             {"nl", "Gepland"},
             {"pl", "Zaplanowany"}});
  AddStatus(workflow, common::IDEA_STATUS_IN_PROGRESS, false,
            {{"en", "In progress"},
             {"fr", "En cours"},
             {"it", "In corso"},
             {"nl", "In uitvoering"},
             {"pl", "W realizacji"}});
  AddStatus(workflow, common::IDEA_STATUS_DELIVERED, true,
            {{"en", "Delivered"},
             {"fr", "Réalisée"},
             {"it", "Realizzata"},
             {"nl", "Gerealiseerd"},
             {"pl", "Zrealizowany"}});
  AddStatus(workflow, common::IDEA_STATUS_DECLINED, true,
            {{"en", "Declined"},
             {"fr", "Refusée"},
             {"it", "Respinta"},
             {"nl", "Afgewezen"},
             {"pl", "Odrzucony"}});
  AddStatus(workflow, common::IDEA_STATUS_DUPLICATE, true,
            {{"en", "Duplicate"},
             {"fr", "Doublon"},
             {"it", "Duplicata"},
             {"nl", "Dubbel"},
             {"pl", "Duplikat"}});
  const common::IdeaStatus chain[] = {
      common::IDEA_STATUS_SUBMITTED, common::IDEA_STATUS_UNDER_REVIEW,
      common::IDEA_STATUS_PLANNED, common::IDEA_STATUS_IN_PROGRESS,
      common::IDEA_STATUS_DELIVERED};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    AddTransition(workflow, chain[i], chain[i + 1]);
  }
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    AddTransition(workflow, chain[i], common::IDEA_STATUS_DECLINED);
  }
  // A declined idea can be reconsidered.
  AddTransition(workflow, common::IDEA_STATUS_DECLINED,
                common::IDEA_STATUS_UNDER_REVIEW);
  settings.mutable_edit_window()->set_seconds(24 * 3600);
  settings.set_erased_member_policy(
      v1::ContentSettings::ERASED_MEMBER_POLICY_KEEP_ANONYMISED);
  settings.mutable_official_response_target()->set_seconds(30 * 86400);
  settings.set_max_posts_per_hour(30);
  settings.set_etag(api::EtagOf(0));
  return settings;
}

StoredSettings LoadContentSettings(pqxx::transaction_base& tx,
                                   const std::string& tenant) {
  const pqxx::result rows = tx.exec_params(
      "SELECT data, version, (extract(epoch FROM update_time) * 1000000)"
      "::bigint FROM settings WHERE tenant = $1",
      tenant);
  if (rows.empty()) return {DefaultContentSettings(tenant), 0};
  StoredSettings stored;
  stored.settings.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  stored.version = rows[0][1].as<int64_t>();
  stored.settings.set_name(SettingsName(tenant));
  stored.settings.set_etag(api::EtagOf(stored.version));
  *stored.settings.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(rows[0][2].as<int64_t>());
  return stored;
}

bool TransitionAllowed(const v1::IdeaWorkflow& workflow,
                       common::IdeaStatus from, common::IdeaStatus to) {
  for (const v1::IdeaStatusTransition& transition : workflow.transitions()) {
    if (transition.from_status() == from && transition.to_status() == to) {
      return true;
    }
  }
  return false;
}

absl::Status RequireKnownTenant(pqxx::transaction_base& tx,
                                const std::string& tenant) {
  if (tx.exec_params("SELECT 1 FROM tenants WHERE id = $1", tenant).empty()) {
    return absl::NotFoundError(absl::StrCat("tenants/", tenant, " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ContentSettings> GetContentSettings(
    ContentContext& context, const v1::GetContentSettingsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseSettingsName("name", request.name());
  if (!tenant.ok()) return tenant.status();
  v1::ContentSettings settings;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (absl::Status s = RequireKnownTenant(tx, *tenant); !s.ok()) return s;
        settings = LoadContentSettings(tx, *tenant).settings;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return settings;
}

absl::StatusOr<v1::ContentSettings> UpdateContentSettings(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateContentSettingsRequest& request) {
  absl::StatusOr<std::string> tenant = ParseSettingsName(
      "content_settings.name", request.content_settings().name());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s =
          api::RequireTenantRole(caller, *tenant, {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kMutableFields, "ContentSettings");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = ValidateSettings(request.content_settings(), *paths);
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{*tenant, "UpdateContentSettings",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  v1::ContentSettings updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        if (absl::Status s = RequireKnownTenant(tx, *tenant); !s.ok()) return s;
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                       "content-settings/" + *tenant);
        StoredSettings current = LoadContentSettings(tx, *tenant);
        const std::string& etag = request.content_settings().etag();
        if (!etag.empty() && etag != current.settings.etag()) {
          return api::EtagMismatch("content_settings.etag",
                                   "the content settings");
        }
        v1::ContentSettings merged = current.settings;
        Merge(request.content_settings(), *paths, merged);
        // The workflow must stay coherent whichever fields changed.
        if (absl::Status s = ValidateWorkflow(merged.idea_workflow());
            !s.ok()) {
          return s;
        }
        merged.clear_name();
        merged.clear_etag();
        merged.clear_update_time();
        const pqxx::binarystring data(merged.SerializeAsString());
        tx.exec_params(
            "INSERT INTO settings (tenant, data, version, update_time)"
            " VALUES ($1, $2, 1, now()) ON CONFLICT (tenant) DO UPDATE SET"
            " data = excluded.data, version = settings.version + 1,"
            " update_time = now()",
            *tenant, data);
        updated = LoadContentSettings(tx, *tenant).settings;
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

}  // namespace agora::content
