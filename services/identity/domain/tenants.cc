#include "services/identity/domain/tenants.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/api/update_mask.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/tenant_admin_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

using idempotency::FindSavedResponse;
using idempotency::IdempotencyKey;
using idempotency::SaveResponse;
using idempotency::ValidateRequestId;

constexpr int kMaxLanguages = 16;
constexpr int kMaxHosts = 10;
constexpr int kMaxReservedNames = 200;

// The fields UpdateTenant may change; "*" means all of them.
constexpr absl::string_view kMutableTenantFields[] = {"display_name",
                                                      "default_language",
                                                      "allowed_languages",
                                                      "time_zone",
                                                      "state",
                                                      "hosts",
                                                      "reserved_display_names",
                                                      "terms_version"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// A DNS host name as the gateway sees it in the Host header: lowercase
// labels of a-z, 0-9 and "-" (1-63 each, no "-" at either end), separated
// by dots, 1-253 characters, no scheme, port or trailing dot.
absl::Status ValidateHost(absl::string_view field, absl::string_view host) {
  if (host.empty() || host.size() > 253) {
    return Invalid(field, "must be 1-253 characters");
  }
  if (absl::StrContains(host, ':') || absl::StrContains(host, '/')) {
    return Invalid(field, "a host name only, without scheme or port");
  }
  for (char c : host) {
    if (absl::ascii_isupper(c)) return Invalid(field, "must be lowercase");
  }
  size_t label_start = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    if (i < host.size() && host[i] != '.') {
      const char c = host[i];
      if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
        return Invalid(field,
                       "labels of a-z, 0-9 and - separated by dots (punycode "
                       "for international names)");
      }
      continue;
    }
    const absl::string_view label = host.substr(label_start, i - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return Invalid(field,
                     "each label must be 1-63 characters and not start or "
                     "end with -");
    }
    label_start = i + 1;
  }
  return absl::OkStatus();
}

v1::Tenant::State DefaultState(v1::Tenant::State state) {
  return state == v1::Tenant::STATE_UNSPECIFIED ? v1::Tenant::STATE_ACTIVE
                                                : state;
}

TenantRecord RecordOf(absl::string_view id, const v1::Tenant& tenant) {
  TenantRecord record;
  record.id = std::string(id);
  record.display_name = tenant.display_name();
  record.default_language = tenant.default_language();
  record.allowed_languages.assign(tenant.allowed_languages().begin(),
                                  tenant.allowed_languages().end());
  record.time_zone = tenant.time_zone();
  record.state = tenant.state();
  record.hosts.assign(tenant.hosts().begin(), tenant.hosts().end());
  record.reserved_display_names.assign(tenant.reserved_display_names().begin(),
                                       tenant.reserved_display_names().end());
  record.terms_version = tenant.terms_version();
  return record;
}

// The stored tenant with the request's fields of `paths` applied.
v1::Tenant ApplyMask(const TenantRecord& stored, const v1::Tenant& update,
                     const std::set<std::string>& paths) {
  v1::Tenant merged = ToTenantProto(stored);
  for (const std::string& path : paths) {
    if (path == "display_name") {
      merged.set_display_name(update.display_name());
    } else if (path == "default_language") {
      merged.set_default_language(update.default_language());
    } else if (path == "allowed_languages") {
      *merged.mutable_allowed_languages() = update.allowed_languages();
    } else if (path == "time_zone") {
      merged.set_time_zone(update.time_zone());
    } else if (path == "state") {
      merged.set_state(update.state());
    } else if (path == "hosts") {
      *merged.mutable_hosts() = update.hosts();
    } else if (path == "reserved_display_names") {
      *merged.mutable_reserved_display_names() =
          update.reserved_display_names();
    } else if (path == "terms_version") {
      merged.set_terms_version(update.terms_version());
    }
  }
  return merged;
}

absl::Status HostTaken(const TenantRecord& tenant, absl::string_view host) {
  const auto at = std::find(tenant.hosts.begin(), tenant.hosts.end(), host);
  return absl::InvalidArgumentError(
      absl::StrCat("tenant.hosts[", at - tenant.hosts.begin(), "]: ", host,
                   " is already a host of another tenant"));
}

absl::Status RequirePlatformAdmin(const auth::Principal& caller,
                                  absl::string_view what) {
  if (IsPlatformAdmin(caller)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("only platform admins may ", what));
}

template <typename Payload>
void FillSettings(const TenantRecord& tenant, Payload& payload) {
  payload.set_tenant(TenantName(tenant.id));
  payload.set_display_name(tenant.display_name);
  payload.set_default_language(tenant.default_language);
  for (const std::string& language : tenant.allowed_languages) {
    payload.add_allowed_languages(language);
  }
  payload.set_time_zone(tenant.time_zone);
}

}  // namespace

absl::Status ValidateTimeZone(absl::string_view field, absl::string_view name) {
  // The shape first: cctz would also open absolute paths and "localtime".
  bool shaped = !name.empty() && name.size() <= 64 && name.front() != '/' &&
                !absl::StrContains(name, "..") && name != "localtime";
  for (char c : name) {
    shaped = shaped && (absl::ascii_isalnum(c) || c == '/' || c == '_' ||
                        c == '-' || c == '+');
  }
  absl::TimeZone zone;
  if (!shaped || !absl::LoadTimeZone(name, &zone)) {
    return Invalid(field, "must be an IANA time zone such as Europe/Paris");
  }
  return absl::OkStatus();
}

absl::Status ValidateTenantSettings(const v1::Tenant& tenant) {
  if (absl::Status s =
          ValidateText("tenant.display_name", tenant.display_name(), 1, 100);
      !s.ok()) {
    return s;
  }
  const int languages = tenant.allowed_languages_size();
  if (languages < 1 || languages > kMaxLanguages) {
    return Invalid("tenant.allowed_languages", "1-16 BCP-47 language tags");
  }
  std::set<std::string> seen;
  for (int i = 0; i < languages; ++i) {
    const std::string field = absl::StrCat("tenant.allowed_languages[", i, "]");
    if (absl::Status s =
            ValidateLanguageTag(field, tenant.allowed_languages(i));
        !s.ok()) {
      return s;
    }
    if (!seen.insert(absl::AsciiStrToLower(tenant.allowed_languages(i)))
             .second) {
      return Invalid(field, "duplicate");
    }
  }
  if (absl::Status s = ValidateLanguageTag("tenant.default_language",
                                           tenant.default_language());
      !s.ok()) {
    return s;
  }
  if (std::find(tenant.allowed_languages().begin(),
                tenant.allowed_languages().end(), tenant.default_language()) ==
      tenant.allowed_languages().end()) {
    return Invalid("tenant.default_language",
                   "must be one of tenant.allowed_languages");
  }
  if (absl::Status s = ValidateTimeZone("tenant.time_zone", tenant.time_zone());
      !s.ok()) {
    return s;
  }
  if (tenant.state() != v1::Tenant::STATE_ACTIVE &&
      tenant.state() != v1::Tenant::STATE_SUSPENDED) {
    return Invalid("tenant.state", "must be STATE_ACTIVE or STATE_SUSPENDED");
  }
  if (tenant.hosts_size() > kMaxHosts) {
    return Invalid("tenant.hosts", "at most 10 host names");
  }
  std::set<std::string> hosts;
  for (int i = 0; i < tenant.hosts_size(); ++i) {
    const std::string field = absl::StrCat("tenant.hosts[", i, "]");
    if (absl::Status s = ValidateHost(field, tenant.hosts(i)); !s.ok()) {
      return s;
    }
    if (!hosts.insert(tenant.hosts(i)).second) {
      return Invalid(field, "duplicate");
    }
  }
  if (tenant.reserved_display_names_size() > kMaxReservedNames) {
    return Invalid("tenant.reserved_display_names", "at most 200 names");
  }
  for (int i = 0; i < tenant.reserved_display_names_size(); ++i) {
    if (absl::Status s =
            ValidateText(absl::StrCat("tenant.reserved_display_names[", i, "]"),
                         tenant.reserved_display_names(i), 2, 40);
        !s.ok()) {
      return s;
    }
  }
  return ValidateText("tenant.terms_version", tenant.terms_version(), 1, 32);
}

absl::StatusOr<v1::Tenant> CreateTenant(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateTenantRequest& request) {
  if (absl::Status s = RequirePlatformAdmin(caller, "create tenants");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateTenantId("tenant_id", request.tenant_id());
      !s.ok()) {
    return s;
  }
  if (!request.has_tenant()) return Invalid("tenant", "required");
  v1::Tenant settings = request.tenant();
  settings.set_state(DefaultState(settings.state()));
  if (absl::Status s = ValidateTenantSettings(settings); !s.ok()) return s;
  const TenantRecord record = RecordOf(request.tenant_id(), settings);

  const common::v1::Actor actor = ActorOf(caller);
  const IdempotencyKey key{"", "CreateTenant", request.request_id(),
                           actor.name()};
  v1::Tenant answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        std::optional<TenantRecord> created =
            InsertTenantRow(tx, record, context.now());
        if (!created) {
          return absl::AlreadyExistsError(
              absl::StrCat(TenantName(record.id), " already exists"));
        }
        if (std::optional<std::string> taken =
                ClaimTenantHosts(tx, record.id, record.hosts)) {
          return HostTaken(record, *taken);
        }
        events::v1::Event event =
            NewIdentityEvent(context, record.id, actor, TenantName(record.id));
        FillSettings(*created, *event.mutable_tenant_created());
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) {
          return s;
        }
        answer = ToTenantProto(*created);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<v1::Tenant> GetTenant(IdentityContext& context,
                                     const auth::Principal* /*caller*/,
                                     const CallInfo& /*call*/,
                                     const v1::GetTenantRequest& request) {
  absl::StatusOr<std::string> id = ParseTenantName("name", request.name());
  if (!id.ok()) return id.status();
  std::optional<TenantRecord> tenant;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<TenantRecord> loaded = LoadTenant(tx, *id);
        if (loaded.ok()) tenant = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!tenant) {
    return absl::NotFoundError(absl::StrCat(TenantName(*id), " not found"));
  }
  return ToTenantProto(*tenant);
}

absl::StatusOr<v1::ListTenantsResponse> ListTenants(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListTenantsRequest& request) {
  if (!IsPlatformAdmin(caller) &&
      !(caller.is_service_account && caller.HasScope("identity.read"))) {
    return absl::PermissionDeniedError(
        "only platform admins and services with scope identity.read may list "
        "tenants");
  }
  absl::StatusOr<int> page_size = PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::string> after = DecodePageToken(request.page_token());
  if (!after.ok()) return after.status();
  if (!after->empty() && !ValidateTenantId("page_token", *after).ok()) {
    return InvalidPageToken();
  }
  std::vector<TenantRecord> tenants;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tenants = ListTenantRows(tx, *after, *page_size + 1);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  v1::ListTenantsResponse response;
  for (int i = 0; i < static_cast<int>(tenants.size()) && i < *page_size; ++i) {
    *response.add_tenants() = ToTenantProto(tenants[i]);
  }
  if (static_cast<int>(tenants.size()) > *page_size) {
    response.set_next_page_token(EncodePageToken(tenants[*page_size - 1].id));
  }
  return response;
}

absl::StatusOr<v1::Tenant> UpdateTenant(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateTenantRequest& request) {
  if (absl::Status s = RequirePlatformAdmin(caller, "update tenants");
      !s.ok()) {
    return s;
  }
  if (!request.has_tenant()) return Invalid("tenant", "required");
  absl::StatusOr<std::string> id =
      ParseTenantName("tenant.name", request.tenant().name());
  if (!id.ok()) return id.status();
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kMutableTenantFields, "Tenant");
  if (!paths.ok()) return paths.status();

  const common::v1::Actor actor = ActorOf(caller);
  const IdempotencyKey key{"", "UpdateTenant", request.request_id(),
                           actor.name()};
  v1::Tenant answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        absl::StatusOr<TenantRecord> stored =
            LoadTenant(tx, *id, /*for_update=*/true);
        if (!stored.ok()) {
          return absl::NotFoundError(
              absl::StrCat(TenantName(*id), " not found"));
        }
        const std::string& etag = request.tenant().etag();
        if (!etag.empty() && etag != TenantEtag(*stored)) {
          return api::EtagMismatch("tenant.etag", "the tenant");
        }
        const v1::Tenant merged = ApplyMask(*stored, request.tenant(), *paths);
        if (absl::Status s = ValidateTenantSettings(merged); !s.ok()) return s;
        const TenantRecord record = RecordOf(*id, merged);
        if (paths->count("hosts") > 0) {
          if (std::optional<std::string> taken =
                  ClaimTenantHosts(tx, *id, record.hosts)) {
            return HostTaken(record, *taken);
          }
        }
        const TenantRecord updated = UpdateTenantRow(tx, record, context.now());
        events::v1::Event event =
            NewIdentityEvent(context, *id, actor, TenantName(*id));
        events::v1::TenantUpdated* payload = event.mutable_tenant_updated();
        FillSettings(updated, *payload);
        payload->set_suspended(updated.state == v1::Tenant::STATE_SUSPENDED);
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) {
          return s;
        }
        answer = ToTenantProto(updated);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

}  // namespace agora::identity
