#include "services/identity/domain/service_accounts.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/login_throttle.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/secret_tokens.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/service_account_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

using idempotency::FindSavedResponse;
using idempotency::IdempotencyKey;
using idempotency::SaveResponse;
using idempotency::ValidateRequestId;

constexpr int kMaxScopes = 32;
constexpr absl::Duration kMinSecretLifetime = absl::Hours(1);
constexpr absl::Duration kMaxSecretLifetime = absl::Hours(24 * 730);
// Redis hash tag of the throttle of platform-wide accounts ("_" is not
// allowed in tenant ids, so no tenant shares it).
constexpr char kPlatformThrottleTag[] = "_platform";

constexpr absl::string_view kKnownScopes[] = {
    "identity.read",    "content.read",  "content.write",     "ranking.read",
    "ranking.write",    "ranking.admin", "moderation.screen", "moderation.read",
    "moderation.write", "share.read",    "share.resolve",     "events.read"};

// The fields UpdateServiceAccount may change; "*" means all of them.
constexpr absl::string_view kMutableAccountFields[] = {
    "display_name", "description", "scopes", "state"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// Tenant admins of the account's tenant and platform admins; platform-wide
// accounts (tenant "") are platform admins' alone.
absl::Status RequireAccountAdmin(const auth::Principal& caller,
                                 absl::string_view tenant) {
  if (tenant.empty()) {
    if (IsPlatformAdmin(caller)) return absl::OkStatus();
    return absl::PermissionDeniedError(
        "only platform admins manage platform-wide service accounts");
  }
  return RequireTenantRole(caller, tenant, {auth::kRoleTenantAdmin});
}

// "" (platform-wide) or the tenant of `tenants/{tenant}`.
absl::StatusOr<std::string> ParseAccountParent(absl::string_view field,
                                               absl::string_view parent) {
  if (parent.empty()) return std::string();
  return ParseTenantName(field, parent);
}

// Writes need the account's tenant to exist and not be suspended.
absl::Status CheckWritableTenant(pqxx::transaction_base& tx,
                                 absl::string_view tenant) {
  if (tenant.empty()) return absl::OkStatus();
  return LoadWritableTenant(tx, tenant).status();
}

v1::ServiceAccount::State DefaultState(v1::ServiceAccount::State state) {
  return state == v1::ServiceAccount::STATE_UNSPECIFIED
             ? v1::ServiceAccount::STATE_ACTIVE
             : state;
}

ServiceAccountRecord RecordOf(absl::string_view tenant, absl::string_view id,
                              const v1::ServiceAccount& account) {
  ServiceAccountRecord record;
  record.tenant = std::string(tenant);
  record.id = std::string(id);
  record.display_name = account.display_name();
  record.description = account.description();
  record.scopes.assign(account.scopes().begin(), account.scopes().end());
  record.state = account.state();
  return record;
}

v1::ServiceAccount ApplyMask(const ServiceAccountRecord& stored,
                             const v1::ServiceAccount& update,
                             const std::set<std::string>& paths) {
  v1::ServiceAccount merged = ToServiceAccountProto(stored);
  for (const std::string& path : paths) {
    if (path == "display_name") {
      merged.set_display_name(update.display_name());
    } else if (path == "description") {
      merged.set_description(update.description());
    } else if (path == "scopes") {
      *merged.mutable_scopes() = update.scopes();
    } else if (path == "state") {
      merged.set_state(update.state());
    }
  }
  return merged;
}

// A page position of secrets: "<create micros>/<uuid>".
absl::StatusOr<std::optional<SecretPosition>> DecodeSecretPosition(
    const std::string& token) {
  absl::StatusOr<std::string> position = DecodePageToken(token);
  if (!position.ok()) return position.status();
  if (position->empty()) return std::nullopt;
  const size_t slash = position->find('/');
  SecretPosition after;
  if (slash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(*position).substr(0, slash),
                        &after.create_micros) ||
      !IsUuid(absl::string_view(*position).substr(slash + 1))) {
    return InvalidPageToken();
  }
  after.id = position->substr(slash + 1);
  return after;
}

absl::Status InvalidCredentials() {
  return status::WithReason(
      absl::UnauthenticatedError("invalid service account or client secret"),
      "INVALID_CREDENTIALS");
}

}  // namespace

bool IsKnownScope(absl::string_view scope) {
  return std::find(std::begin(kKnownScopes), std::end(kKnownScopes), scope) !=
         std::end(kKnownScopes);
}

absl::Status ValidateServiceAccountSettings(const v1::ServiceAccount& account) {
  if (absl::Status s = ValidateText("service_account.display_name",
                                    account.display_name(), 1, 100);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("service_account.description",
                                    account.description(), 0, 500,
                                    /*multiline=*/true);
      !s.ok()) {
    return s;
  }
  if (account.scopes_size() < 1 || account.scopes_size() > kMaxScopes) {
    return Invalid("service_account.scopes", "1-32 scopes");
  }
  std::set<std::string> seen;
  for (int i = 0; i < account.scopes_size(); ++i) {
    const std::string field = absl::StrCat("service_account.scopes[", i, "]");
    if (!IsKnownScope(account.scopes(i))) {
      return Invalid(
          field,
          absl::StrCat("unknown scope \"", account.scopes(i).substr(0, 100),
                       "\" (see ServiceAccount for the list)"));
    }
    if (!seen.insert(account.scopes(i)).second) {
      return Invalid(field, "duplicate");
    }
  }
  if (account.state() != v1::ServiceAccount::STATE_ACTIVE &&
      account.state() != v1::ServiceAccount::STATE_DISABLED) {
    return Invalid("service_account.state",
                   "must be STATE_ACTIVE or STATE_DISABLED");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ServiceAccount> CreateServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateServiceAccountRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseAccountParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireAccountAdmin(caller, *tenant); !s.ok()) return s;
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateId("service_account_id", request.service_account_id(), 2, 63);
      !s.ok()) {
    return s;
  }
  if (!request.has_service_account()) {
    return Invalid("service_account", "required");
  }
  v1::ServiceAccount settings = request.service_account();
  settings.set_state(DefaultState(settings.state()));
  if (absl::Status s = ValidateServiceAccountSettings(settings); !s.ok()) {
    return s;
  }
  const ServiceAccountRecord record =
      RecordOf(*tenant, request.service_account_id(), settings);

  const IdempotencyKey key{*tenant, "CreateServiceAccount",
                           request.request_id(), ActorOf(caller).name()};
  v1::ServiceAccount answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        if (absl::Status s = CheckWritableTenant(tx, *tenant); !s.ok()) {
          return s;
        }
        std::optional<ServiceAccountRecord> created =
            InsertServiceAccountRow(tx, record, context.now());
        if (!created) {
          return absl::AlreadyExistsError(
              absl::StrCat(ServiceAccountResourceName(record.tenant, record.id),
                           " already exists"));
        }
        answer = ToServiceAccountProto(*created);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<v1::ServiceAccount> GetServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::GetServiceAccountRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseServiceAccountName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireAccountAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  v1::ServiceAccount answer;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<ServiceAccountRecord> account =
            LoadServiceAccount(tx, name->tenant, name->id);
        if (!account.ok()) return account.status();
        answer = ToServiceAccountProto(*account);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return answer;
}

absl::StatusOr<v1::ListServiceAccountsResponse> ListServiceAccounts(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListServiceAccountsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseAccountParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireAccountAdmin(caller, *tenant); !s.ok()) return s;
  absl::StatusOr<int> page_size = PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::string> after = DecodePageToken(request.page_token());
  if (!after.ok()) return after.status();
  if (!after->empty() && !ValidateId("page_token", *after, 2, 63).ok()) {
    return InvalidPageToken();
  }
  std::vector<ServiceAccountRecord> accounts;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        accounts = ListServiceAccountRows(tx, *tenant, *after, *page_size + 1);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  v1::ListServiceAccountsResponse response;
  const int count = std::min<int>(accounts.size(), *page_size);
  for (int i = 0; i < count; ++i) {
    *response.add_service_accounts() = ToServiceAccountProto(accounts[i]);
  }
  if (static_cast<int>(accounts.size()) > *page_size) {
    response.set_next_page_token(EncodePageToken(accounts[*page_size - 1].id));
  }
  return response;
}

absl::StatusOr<v1::ServiceAccount> UpdateServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateServiceAccountRequest& request) {
  if (!request.has_service_account()) {
    return Invalid("service_account", "required");
  }
  absl::StatusOr<ChildName> name = ParseServiceAccountName(
      "service_account.name", request.service_account().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireAccountAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths = api::MaskPaths(
      request.update_mask(), kMutableAccountFields, "ServiceAccount");
  if (!paths.ok()) return paths.status();

  const IdempotencyKey key{name->tenant, "UpdateServiceAccount",
                           request.request_id(), ActorOf(caller).name()};
  v1::ServiceAccount answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        if (absl::Status s = CheckWritableTenant(tx, name->tenant); !s.ok()) {
          return s;
        }
        absl::StatusOr<ServiceAccountRecord> stored =
            LoadServiceAccount(tx, name->tenant, name->id, /*for_update=*/true);
        if (!stored.ok()) return stored.status();
        const std::string& etag = request.service_account().etag();
        if (!etag.empty() && etag != ServiceAccountEtag(*stored)) {
          return api::EtagMismatch("service_account.etag",
                                   "the service account");
        }
        const v1::ServiceAccount merged =
            ApplyMask(*stored, request.service_account(), *paths);
        if (absl::Status s = ValidateServiceAccountSettings(merged); !s.ok()) {
          return s;
        }
        const ServiceAccountRecord updated = UpdateServiceAccountRow(
            tx, RecordOf(name->tenant, name->id, merged), context.now());
        answer = ToServiceAccountProto(updated);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<google::protobuf::Empty> DeleteServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteServiceAccountRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseServiceAccountName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireAccountAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (absl::Status s = CheckWritableTenant(tx, name->tenant); !s.ok()) {
          return s;
        }
        absl::StatusOr<ServiceAccountRecord> stored =
            LoadServiceAccount(tx, name->tenant, name->id, /*for_update=*/true);
        if (!stored.ok()) return stored.status();
        if (!request.etag().empty() &&
            request.etag() != ServiceAccountEtag(*stored)) {
          return api::EtagMismatch("etag", "the service account");
        }
        DeleteServiceAccountRow(tx, name->tenant, name->id);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

absl::StatusOr<v1::ServiceAccountSecret> CreateServiceAccountSecret(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateServiceAccountSecretRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseServiceAccountName("parent", request.parent());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireAccountAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  std::optional<absl::Time> expire_time;
  if (request.secret().has_expire_time()) {
    const absl::Time now = context.now();
    expire_time = FromTimestamp(request.secret().expire_time());
    if (*expire_time < now + kMinSecretLifetime ||
        *expire_time > now + kMaxSecretLifetime) {
      return Invalid("secret.expire_time",
                     "must be 1 hour to 730 days from now, or unset");
    }
  }

  const IdempotencyKey key{name->tenant, "CreateServiceAccountSecret",
                           request.request_id(), ActorOf(caller).name()};
  v1::ServiceAccountSecret answer;
  std::string plaintext;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        plaintext.clear();
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        if (absl::Status s = CheckWritableTenant(tx, name->tenant); !s.ok()) {
          return s;
        }
        // Locked: two creations at once cannot both take the last place.
        absl::StatusOr<ServiceAccountRecord> account =
            LoadServiceAccount(tx, name->tenant, name->id, /*for_update=*/true);
        if (!account.ok()) return account.status();
        if (CountSecrets(tx, name->tenant, name->id) >= kMaxSecretsPerAccount) {
          return absl::FailedPreconditionError(
              "secrets: an account has at most 5 secrets; delete one first");
        }
        plaintext = NewSecretToken(48);
        const SecretRecord created = InsertSecretRow(
            tx, name->tenant, name->id, HashSecretToken(plaintext),
            plaintext.substr(plaintext.size() - 4), expire_time, context.now());
        // What a retry gets back: the metadata, never the plaintext.
        answer = ToSecretProto(created);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  if (!plaintext.empty()) answer.set_secret(plaintext);
  return answer;
}

absl::StatusOr<v1::ListServiceAccountSecretsResponse> ListServiceAccountSecrets(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListServiceAccountSecretsRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseServiceAccountName("parent", request.parent());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireAccountAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  absl::StatusOr<int> page_size = PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::optional<SecretPosition>> after =
      DecodeSecretPosition(request.page_token());
  if (!after.ok()) return after.status();
  std::vector<SecretRecord> secrets;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (absl::Status s =
                LoadServiceAccount(tx, name->tenant, name->id).status();
            !s.ok()) {
          return s;
        }
        secrets =
            ListSecretRows(tx, name->tenant, name->id, *after, *page_size + 1);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  v1::ListServiceAccountSecretsResponse response;
  const int count = std::min<int>(secrets.size(), *page_size);
  for (int i = 0; i < count; ++i) {
    *response.add_secrets() = ToSecretProto(secrets[i]);
  }
  if (static_cast<int>(secrets.size()) > *page_size) {
    const SecretRecord& last = secrets[*page_size - 1];
    response.set_next_page_token(EncodePageToken(
        absl::StrCat(absl::ToUnixMicros(last.create_time), "/", last.id)));
  }
  return response;
}

absl::StatusOr<google::protobuf::Empty> DeleteServiceAccountSecret(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteServiceAccountSecretRequest& request) {
  absl::StatusOr<SecretName> name = ParseSecretName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireAccountAdmin(caller, name->account.tenant);
      !s.ok()) {
    return s;
  }
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (absl::Status s = CheckWritableTenant(tx, name->account.tenant);
            !s.ok()) {
          return s;
        }
        if (!DeleteSecretRow(tx, name->account.tenant, name->account.id,
                             name->secret)) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

absl::StatusOr<v1::ServiceAccountToken> IssueServiceAccountToken(
    IdentityContext& context, const auth::Principal* /*caller*/,
    const CallInfo& call, const v1::IssueServiceAccountTokenRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseServiceAccountName("service_account", request.service_account());
  if (!name.ok()) return name.status();
  if (request.client_secret().empty()) {
    return Invalid("client_secret", "required");
  }
  if (request.scopes_size() > kMaxScopes) {
    return Invalid("scopes", "at most 32");
  }
  std::string wanted_tenant;
  if (!request.tenant().empty()) {
    absl::StatusOr<std::string> parsed =
        ParseTenantName("tenant", request.tenant());
    if (!parsed.ok()) return parsed.status();
    wanted_tenant = *std::move(parsed);
  }
  const std::string subject =
      ServiceAccountResourceName(name->tenant, name->id);
  const LoginThrottle throttle(
      context, name->tenant.empty() ? kPlatformThrottleTag : name->tenant,
      subject, call.client_address);
  if (absl::Status s = throttle.Check(); !s.ok()) return s;

  const absl::Time now = context.now();
  // A longer text is no secret Agora made: no look-up, same answer.
  const bool plausible =
      request.client_secret().size() <= static_cast<size_t>(128);
  bool bad_credentials = false;
  v1::ServiceAccountToken answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        bad_credentials = false;
        // Found by its hash through the unique index; the account it belongs
        // to must be the one named. Unknown account and wrong secret take
        // the same path.
        std::optional<SecretRecord> secret;
        if (plausible) {
          secret =
              FindSecretByHash(tx, HashSecretToken(request.client_secret()));
        }
        if (!secret || secret->tenant != name->tenant ||
            secret->account != name->id ||
            (secret->expire_time && *secret->expire_time <= now)) {
          bad_credentials = true;
          return InvalidCredentials();
        }
        absl::StatusOr<ServiceAccountRecord> account =
            LoadServiceAccount(tx, name->tenant, name->id);
        if (!account.ok()) {
          bad_credentials = true;
          return InvalidCredentials();
        }
        if (account->state != v1::ServiceAccount::STATE_ACTIVE) {
          return status::WithReason(
              absl::PermissionDeniedError("the service account is disabled"),
              "ACCOUNT_DISABLED");
        }
        std::vector<std::string> scopes;
        if (request.scopes().empty()) {
          scopes = account->scopes;
        } else {
          for (int i = 0; i < request.scopes_size(); ++i) {
            const std::string& scope = request.scopes(i);
            if (std::find(account->scopes.begin(), account->scopes.end(),
                          scope) == account->scopes.end()) {
              return Invalid(absl::StrCat("scopes[", i, "]"),
                             absl::StrCat("\"", scope.substr(0, 100),
                                          "\" is not granted to the account"));
            }
            if (std::find(scopes.begin(), scopes.end(), scope) ==
                scopes.end()) {
              scopes.push_back(scope);
            }
          }
        }
        std::string acting_tenant = name->tenant;
        if (name->tenant.empty()) {
          if (wanted_tenant.empty()) {
            return Invalid("tenant",
                           "required for a platform-wide service account "
                           "(one token per tenant it acts in)");
          }
          if (!LoadTenant(tx, wanted_tenant).ok()) {
            return Invalid("tenant", absl::StrCat(TenantName(wanted_tenant),
                                                  " does not exist"));
          }
          acting_tenant = wanted_tenant;
        } else if (!wanted_tenant.empty() && wanted_tenant != name->tenant) {
          return Invalid(
              "tenant", absl::StrCat("an account of ", TenantName(name->tenant),
                                     " acts only in that tenant"));
        }
        absl::StatusOr<AccessToken> token =
            IssueServiceAccessToken(context, subject, acting_tenant, scopes);
        if (!token.ok()) return token.status();
        RecordTokenIssued(tx, *secret, now);
        answer.set_access_token(token->token);
        answer.set_token_type("Bearer");
        SetTimestamp(answer.mutable_expire_time(), token->expire_time);
        for (const std::string& scope : scopes) answer.add_scopes(scope);
        return absl::OkStatus();
      });
  if (bad_credentials) {
    throttle.RecordFailure();
  } else if (done.ok()) {
    throttle.RecordSuccess();
  }
  if (!done.ok()) return done;
  return answer;
}

}  // namespace agora::identity
