#include "services/identity/domain/identity_providers.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/provider_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

using idempotency::FindSavedResponse;
using idempotency::IdempotencyKey;
using idempotency::SaveResponse;
using idempotency::ValidateRequestId;

constexpr int kMaxScopes = 20;
constexpr int kMaxRedirectUris = 10;

// The fields UpdateIdentityProvider accepts in its mask; "*" means all of
// them. `type` is immutable: naming it is allowed only with the stored
// value.
constexpr absl::string_view kProviderMaskFields[] = {"type",
                                                     "display_name",
                                                     "display_order",
                                                     "enabled",
                                                     "issuer",
                                                     "authorization_endpoint",
                                                     "token_endpoint",
                                                     "userinfo_endpoint",
                                                     "jwks_uri",
                                                     "client_id",
                                                     "client_secret_source",
                                                     "scopes",
                                                     "allowed_redirect_uris"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

absl::Status RequireProviderAdmin(const auth::Principal& caller,
                                  absl::string_view tenant) {
  return RequireTenantRole(caller, tenant, {auth::kRoleTenantAdmin});
}

// `env:NAME` (NAME 1-128 of A-Z, 0-9, _) or `file:/absolute/path`.
absl::Status ValidateSecretSource(absl::string_view source) {
  constexpr absl::string_view kField = "identity_provider.client_secret_source";
  constexpr absl::string_view kRule =
      "env:NAME (NAME 1-128 characters of A-Z, 0-9 and _) or "
      "file:/absolute/path; never the secret itself";
  absl::string_view rest = source;
  if (absl::ConsumePrefix(&rest, "env:")) {
    bool ok = !rest.empty() && rest.size() <= 128;
    for (char c : rest) {
      ok = ok && (absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_');
    }
    return ok ? absl::OkStatus() : Invalid(kField, kRule);
  }
  if (absl::ConsumePrefix(&rest, "file:")) {
    bool ok = rest.size() >= 2 && rest.size() <= 1024 && rest.front() == '/' &&
              !absl::StrContains(rest, "/../") && !absl::EndsWith(rest, "/..");
    for (unsigned char c : rest) ok = ok && c > 0x20 && c != 0x7F;
    return ok ? absl::OkStatus() : Invalid(kField, kRule);
  }
  return Invalid(kField, kRule);
}

// An OAuth scope-token (RFC 6749 §3.3): printable ASCII but space, `"` and
// `\`.
absl::Status ValidateScope(absl::string_view field, absl::string_view scope) {
  if (scope.empty() || scope.size() > 100) {
    return Invalid(field, "must be 1-100 characters");
  }
  for (unsigned char c : scope) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') {
      return Invalid(field, "printable ASCII without spaces, \" or \\");
    }
  }
  return absl::OkStatus();
}

ProviderRecord RecordOf(absl::string_view tenant, absl::string_view id,
                        const v1::IdentityProvider& p) {
  ProviderRecord record;
  record.tenant = std::string(tenant);
  record.id = std::string(id);
  record.type = p.type();
  record.display_name = p.display_name();
  record.display_order = p.display_order();
  record.enabled = p.enabled();
  record.issuer = p.issuer();
  record.authorization_endpoint = p.authorization_endpoint();
  record.token_endpoint = p.token_endpoint();
  record.userinfo_endpoint = p.userinfo_endpoint();
  record.jwks_uri = p.jwks_uri();
  record.client_id = p.client_id();
  record.client_secret_source = p.client_secret_source();
  record.scopes.assign(p.scopes().begin(), p.scopes().end());
  record.allowed_redirect_uris.assign(p.allowed_redirect_uris().begin(),
                                      p.allowed_redirect_uris().end());
  return record;
}

// The stored provider with the request's fields of `paths` applied (type
// is checked, not applied: it never changes).
v1::IdentityProvider ApplyMask(const ProviderRecord& stored,
                               const v1::IdentityProvider& update,
                               const std::set<std::string>& paths) {
  v1::IdentityProvider merged = ToProviderProto(stored, /*full=*/true);
  for (const std::string& path : paths) {
    if (path == "display_name") {
      merged.set_display_name(update.display_name());
    } else if (path == "display_order") {
      merged.set_display_order(update.display_order());
    } else if (path == "enabled") {
      merged.set_enabled(update.enabled());
    } else if (path == "issuer") {
      merged.set_issuer(update.issuer());
    } else if (path == "authorization_endpoint") {
      merged.set_authorization_endpoint(update.authorization_endpoint());
    } else if (path == "token_endpoint") {
      merged.set_token_endpoint(update.token_endpoint());
    } else if (path == "userinfo_endpoint") {
      merged.set_userinfo_endpoint(update.userinfo_endpoint());
    } else if (path == "jwks_uri") {
      merged.set_jwks_uri(update.jwks_uri());
    } else if (path == "client_id") {
      merged.set_client_id(update.client_id());
    } else if (path == "client_secret_source") {
      merged.set_client_secret_source(update.client_secret_source());
    } else if (path == "scopes") {
      *merged.mutable_scopes() = update.scopes();
    } else if (path == "allowed_redirect_uris") {
      *merged.mutable_allowed_redirect_uris() = update.allowed_redirect_uris();
    }
  }
  return merged;
}

// A page position: "<display_order>/<id>".
absl::StatusOr<std::optional<ProviderPosition>> DecodePosition(
    const std::string& token) {
  absl::StatusOr<std::string> position = DecodePageToken(token);
  if (!position.ok()) return position.status();
  if (position->empty()) return std::nullopt;
  const size_t slash = position->find('/');
  ProviderPosition after;
  if (slash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(*position).substr(0, slash),
                        &after.display_order) ||
      !ValidateId("page_token", position->substr(slash + 1), 2, 63).ok()) {
    return InvalidPageToken();
  }
  after.id = position->substr(slash + 1);
  return after;
}

}  // namespace

absl::Status ValidateProviderSettings(const v1::IdentityProvider& p) {
  if (p.type() == v1::IdentityProvider::TYPE_UNSPECIFIED ||
      !v1::IdentityProvider::Type_IsValid(p.type())) {
    return Invalid("identity_provider.type",
                   "required: TYPE_GOOGLE, TYPE_FACEBOOK, TYPE_X, "
                   "TYPE_BANK_SSO or TYPE_OIDC");
  }
  const bool is_x = p.type() == v1::IdentityProvider::TYPE_X;
  if (absl::Status s = ValidateText("identity_provider.display_name",
                                    p.display_name(), 1, 60);
      !s.ok()) {
    return s;
  }
  if (p.display_order() < 0 || p.display_order() > 1000) {
    return Invalid("identity_provider.display_order", "must be 0-1000");
  }
  if (absl::Status s = ValidateHttpsUrl("identity_provider.issuer", p.issuer());
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateHttpsUrl("identity_provider.authorization_endpoint",
                           p.authorization_endpoint());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateHttpsUrl("identity_provider.token_endpoint",
                                        p.token_endpoint());
      !s.ok()) {
    return s;
  }
  if (is_x && p.userinfo_endpoint().empty()) {
    return Invalid("identity_provider.userinfo_endpoint",
                   "required for TYPE_X");
  }
  if (absl::Status s = ValidateHttpsUrl("identity_provider.userinfo_endpoint",
                                        p.userinfo_endpoint(), 2048,
                                        /*optional=*/true);
      !s.ok()) {
    return s;
  }
  if (!is_x && p.jwks_uri().empty()) {
    return Invalid("identity_provider.jwks_uri",
                   "required for OpenID Connect providers (all but TYPE_X)");
  }
  if (absl::Status s = ValidateHttpsUrl("identity_provider.jwks_uri",
                                        p.jwks_uri(), 2048, /*optional=*/true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateText("identity_provider.client_id", p.client_id(), 1, 256);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateSecretSource(p.client_secret_source());
      !s.ok()) {
    return s;
  }
  if (p.scopes_size() < 1 || p.scopes_size() > kMaxScopes) {
    return Invalid("identity_provider.scopes", "1-20 scopes");
  }
  std::set<std::string> scopes;
  for (int i = 0; i < p.scopes_size(); ++i) {
    const std::string field = absl::StrCat("identity_provider.scopes[", i, "]");
    if (absl::Status s = ValidateScope(field, p.scopes(i)); !s.ok()) return s;
    if (!scopes.insert(p.scopes(i)).second) return Invalid(field, "duplicate");
  }
  if (p.allowed_redirect_uris_size() < 1 ||
      p.allowed_redirect_uris_size() > kMaxRedirectUris) {
    return Invalid("identity_provider.allowed_redirect_uris",
                   "1-10 https URLs");
  }
  std::set<std::string> uris;
  for (int i = 0; i < p.allowed_redirect_uris_size(); ++i) {
    const std::string field =
        absl::StrCat("identity_provider.allowed_redirect_uris[", i, "]");
    if (absl::Status s = ValidateHttpsUrl(field, p.allowed_redirect_uris(i));
        !s.ok()) {
      return s;
    }
    if (!uris.insert(p.allowed_redirect_uris(i)).second) {
      return Invalid(field, "duplicate");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListIdentityProvidersResponse> ListIdentityProviders(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& /*call*/, const v1::ListIdentityProvidersRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  const bool full =
      caller != nullptr && RequireProviderAdmin(*caller, *tenant).ok();
  absl::StatusOr<int> page_size = PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::optional<ProviderPosition>> after =
      DecodePosition(request.page_token());
  if (!after.ok()) return after.status();

  std::vector<ProviderRecord> providers;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (!LoadTenant(tx, *tenant).ok()) {
          return absl::NotFoundError(
              absl::StrCat(TenantName(*tenant), " not found"));
        }
        providers = ListProviderRows(tx, *tenant, /*enabled_only=*/!full,
                                     *after, *page_size + 1);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  v1::ListIdentityProvidersResponse response;
  const int count = std::min<int>(providers.size(), *page_size);
  for (int i = 0; i < count; ++i) {
    *response.add_identity_providers() = ToProviderProto(providers[i], full);
  }
  if (static_cast<int>(providers.size()) > *page_size) {
    const ProviderRecord& last = providers[*page_size - 1];
    response.set_next_page_token(
        EncodePageToken(absl::StrCat(last.display_order, "/", last.id)));
  }
  return response;
}

absl::StatusOr<v1::IdentityProvider> GetIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::GetIdentityProviderRequest& request) {
  absl::StatusOr<ChildName> name = ParseProviderName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireProviderAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  std::optional<ProviderRecord> provider;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<ProviderRecord> loaded =
            LoadProvider(tx, name->tenant, name->id);
        if (!loaded.ok()) return loaded.status();
        provider = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return ToProviderProto(*provider, /*full=*/true);
}

absl::StatusOr<v1::IdentityProvider> CreateIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateIdentityProviderRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireProviderAdmin(caller, *tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateId("identity_provider_id",
                                  request.identity_provider_id(), 2, 63);
      !s.ok()) {
    return s;
  }
  if (!request.has_identity_provider()) {
    return Invalid("identity_provider", "required");
  }
  if (absl::Status s = ValidateProviderSettings(request.identity_provider());
      !s.ok()) {
    return s;
  }
  const ProviderRecord record = RecordOf(
      *tenant, request.identity_provider_id(), request.identity_provider());

  const IdempotencyKey key{*tenant, "CreateIdentityProvider",
                           request.request_id(), ActorOf(caller).name()};
  v1::IdentityProvider answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        if (absl::Status s = LoadWritableTenant(tx, *tenant).status();
            !s.ok()) {
          return s;
        }
        std::optional<ProviderRecord> created =
            InsertProviderRow(tx, record, context.now());
        if (!created) {
          return absl::AlreadyExistsError(
              absl::StrCat(ProviderResourceName(record.tenant, record.id),
                           " already exists"));
        }
        answer = ToProviderProto(*created, /*full=*/true);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<v1::IdentityProvider> UpdateIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateIdentityProviderRequest& request) {
  if (!request.has_identity_provider()) {
    return Invalid("identity_provider", "required");
  }
  absl::StatusOr<ChildName> name = ParseProviderName(
      "identity_provider.name", request.identity_provider().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireProviderAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths = api::MaskPaths(
      request.update_mask(), kProviderMaskFields, "IdentityProvider");
  if (!paths.ok()) return paths.status();

  const IdempotencyKey key{name->tenant, "UpdateIdentityProvider",
                           request.request_id(), ActorOf(caller).name()};
  v1::IdentityProvider answer;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, answer)) return absl::OkStatus();
        if (absl::Status s = LoadWritableTenant(tx, name->tenant).status();
            !s.ok()) {
          return s;
        }
        absl::StatusOr<ProviderRecord> stored =
            LoadProvider(tx, name->tenant, name->id, /*for_update=*/true);
        if (!stored.ok()) return stored.status();
        const std::string& etag = request.identity_provider().etag();
        if (!etag.empty() && etag != ProviderEtag(*stored)) {
          return api::EtagMismatch("identity_provider.etag", "the provider");
        }
        if (paths->count("type") > 0 &&
            request.identity_provider().type() != stored->type) {
          return Invalid("identity_provider.type",
                         "immutable: create another provider instead");
        }
        const v1::IdentityProvider merged =
            ApplyMask(*stored, request.identity_provider(), *paths);
        if (absl::Status s = ValidateProviderSettings(merged); !s.ok()) {
          return s;
        }
        const ProviderRecord updated = UpdateProviderRow(
            tx, RecordOf(name->tenant, name->id, merged), context.now());
        answer = ToProviderProto(updated, /*full=*/true);
        SaveResponse(tx, key, answer);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return answer;
}

absl::StatusOr<google::protobuf::Empty> DeleteIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteIdentityProviderRequest& request) {
  absl::StatusOr<ChildName> name = ParseProviderName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireProviderAdmin(caller, name->tenant); !s.ok()) {
    return s;
  }
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (absl::Status s = LoadWritableTenant(tx, name->tenant).status();
            !s.ok()) {
          return s;
        }
        absl::StatusOr<ProviderRecord> stored =
            LoadProvider(tx, name->tenant, name->id, /*for_update=*/true);
        if (!stored.ok()) return stored.status();
        if (!request.etag().empty() &&
            request.etag() != ProviderEtag(*stored)) {
          return api::EtagMismatch("etag", "the provider");
        }
        // Members who signed in through it keep their accounts (and their
        // external identities, inert without the provider).
        DeleteProviderRow(tx, name->tenant, name->id);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

}  // namespace agora::identity
