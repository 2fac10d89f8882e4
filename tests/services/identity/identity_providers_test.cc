// The identity-provider RPCs through the domain, on real PostgreSQL.
#include "services/identity/domain/identity_providers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/repository/provider_store.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

v1::IdentityProvider Google() {
  v1::IdentityProvider p;
  p.set_type(v1::IdentityProvider::TYPE_GOOGLE);
  p.set_display_name("Continuer avec Google");
  p.set_display_order(10);
  p.set_enabled(true);
  p.set_issuer("https://accounts.google.com");
  p.set_authorization_endpoint("https://accounts.google.com/o/oauth2/v2/auth");
  p.set_token_endpoint("https://oauth2.googleapis.com/token");
  p.set_jwks_uri("https://www.googleapis.com/oauth2/v3/certs");
  p.set_client_id("1234.apps.googleusercontent.com");
  p.set_client_secret_source("env:GOOGLE_CLIENT_SECRET");
  p.add_scopes("email");
  p.add_scopes("profile");
  p.add_allowed_redirect_uris("https://fr.agora.example/auth/callback");
  return p;
}

v1::IdentityProvider X() {
  v1::IdentityProvider p;
  p.set_type(v1::IdentityProvider::TYPE_X);
  p.set_display_name("X");
  p.set_display_order(30);
  p.set_enabled(true);
  p.set_issuer("https://x.com");
  p.set_authorization_endpoint("https://x.com/i/oauth2/authorize");
  p.set_token_endpoint("https://api.x.com/2/oauth2/token");
  p.set_userinfo_endpoint("https://api.x.com/2/users/me");
  p.set_client_id("x-client");
  p.set_client_secret_source("file:/var/run/secrets/x/client-secret");
  p.add_scopes("users.read");
  p.add_allowed_redirect_uris("https://fr.agora.example/auth/callback");
  return p;
}

v1::CreateIdentityProviderRequest CreateRequest(const std::string& tenant,
                                                const std::string& id,
                                                const v1::IdentityProvider& p) {
  v1::CreateIdentityProviderRequest request;
  request.set_parent(absl::StrCat("tenants/", tenant));
  request.set_identity_provider_id(id);
  *request.mutable_identity_provider() = p;
  return request;
}

class IdentityProvidersTest : public IdentityTest {
 protected:
  auth::Principal admin_ =
      TenantAdmin("fr", "aaaaaaaa-0000-0000-0000-000000000001");
  auth::Principal it_admin_ =
      TenantAdmin("it", "aaaaaaaa-0000-0000-0000-000000000002");
  auth::Principal member_ =
      Member("fr", "aaaaaaaa-0000-0000-0000-000000000003");
  auth::Principal platform_ =
      PlatformAdmin("aaaaaaaa-0000-0000-0000-000000000004");

  v1::IdentityProvider MustCreate(const std::string& id,
                                  const v1::IdentityProvider& p) {
    absl::StatusOr<v1::IdentityProvider> created =
        CreateIdentityProvider(context(), admin_, CreateRequest("fr", id, p));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::IdentityProvider();
  }

  absl::StatusOr<v1::IdentityProvider> Get(const std::string& name,
                                           const auth::Principal& caller) {
    v1::GetIdentityProviderRequest request;
    request.set_name(name);
    return GetIdentityProvider(context(), caller, request);
  }

  absl::StatusOr<v1::ListIdentityProvidersResponse> List(
      const auth::Principal* caller, const std::string& tenant = "fr",
      int page_size = 0, const std::string& token = "") {
    v1::ListIdentityProvidersRequest request;
    request.set_parent(absl::StrCat("tenants/", tenant));
    request.set_page_size(page_size);
    request.set_page_token(token);
    return ListIdentityProviders(context(), caller, CallInfo{}, request);
  }

  v1::UpdateIdentityProviderRequest UpdateRequest(
      const v1::IdentityProvider& p, std::vector<std::string> paths) {
    v1::UpdateIdentityProviderRequest request;
    *request.mutable_identity_provider() = p;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return request;
  }
};

TEST_F(IdentityProvidersTest, CreateGetAndLoadForSocialSignIn) {
  const v1::IdentityProvider created = MustCreate("google", Google());
  EXPECT_EQ(created.name(), "tenants/fr/identityProviders/google");
  EXPECT_EQ(created.client_secret_source(), "env:GOOGLE_CLIENT_SECRET");
  EXPECT_FALSE(created.etag().empty());

  absl::StatusOr<v1::IdentityProvider> read =
      Get("tenants/fr/identityProviders/google", platform_);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->token_endpoint(), "https://oauth2.googleapis.com/token");
  EXPECT_THAT(read->scopes(), ElementsAre("email", "profile"));

  // What social sign-in reads.
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                absl::StatusOr<ProviderRecord> record =
                    LoadProvider(tx, "fr", "google");
                EXPECT_TRUE(record.ok()) << record.status();
                if (record.ok()) {
                  EXPECT_EQ(record->type, v1::IdentityProvider::TYPE_GOOGLE);
                  EXPECT_EQ(record->jwks_uri,
                            "https://www.googleapis.com/oauth2/v3/certs");
                  EXPECT_THAT(record->allowed_redirect_uris,
                              ElementsAre("https://fr.agora.example/auth/"
                                          "callback"));
                }
                EXPECT_EQ(LoadProvider(tx, "it", "google").status().code(),
                          absl::StatusCode::kNotFound);
                return absl::OkStatus();
              }).ok());

  EXPECT_EQ(CreateIdentityProvider(context(), admin_,
                                   CreateRequest("fr", "google", Google()))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      Get("tenants/fr/identityProviders/facebook", admin_).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(CreateIdentityProvider(context(), platform_,
                                   CreateRequest("zz", "google", Google()))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(IdentityProvidersTest, AnotherTenantsAdminAndMembersCanDoNothing) {
  const v1::IdentityProvider created = MustCreate("google", Google());
  for (const auth::Principal& caller :
       {it_admin_, member_, Service("fr", {"identity.read"})}) {
    EXPECT_EQ(CreateIdentityProvider(context(), caller,
                                     CreateRequest("fr", "x-com", X()))
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Get(created.name(), caller).status().code(),
              absl::StatusCode::kPermissionDenied);
    v1::IdentityProvider change = created;
    change.set_enabled(false);
    EXPECT_EQ(UpdateIdentityProvider(context(), caller,
                                     UpdateRequest(change, {"enabled"}))
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
    v1::DeleteIdentityProviderRequest remove;
    remove.set_name(created.name());
    EXPECT_EQ(DeleteIdentityProvider(context(), caller, remove).status().code(),
              absl::StatusCode::kPermissionDenied);
    // They list like anonymous callers: the public view.
    absl::StatusOr<v1::ListIdentityProvidersResponse> listed = List(&caller);
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->identity_providers_size(), 1);
    EXPECT_TRUE(listed->identity_providers(0).client_id().empty());
  }
  EXPECT_TRUE(Get(created.name(), admin_)->enabled());
  EXPECT_EQ(Query("SELECT count(*) FROM identity_providers"), "1");
}

TEST_F(IdentityProvidersTest,
       AnonymousListShowsEnabledProvidersOnlyTheButtons) {
  MustCreate("google", Google());
  MustCreate("x-com", X());
  v1::IdentityProvider sso = Google();
  sso.set_type(v1::IdentityProvider::TYPE_BANK_SSO);
  sso.set_display_name("Banque Exemple");
  sso.set_display_order(0);
  sso.set_enabled(false);
  sso.set_client_secret_source("env:BANK_SSO_SECRET");
  MustCreate("bank-sso", sso);

  absl::StatusOr<v1::ListIdentityProvidersResponse> anonymous = List(nullptr);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  ASSERT_EQ(anonymous->identity_providers_size(), 2);
  const v1::IdentityProvider& button = anonymous->identity_providers(0);
  EXPECT_EQ(button.name(), "tenants/fr/identityProviders/google");
  EXPECT_EQ(button.type(), v1::IdentityProvider::TYPE_GOOGLE);
  EXPECT_EQ(button.display_name(), "Continuer avec Google");
  EXPECT_EQ(button.display_order(), 10);
  for (const v1::IdentityProvider& p : anonymous->identity_providers()) {
    EXPECT_TRUE(p.issuer().empty());
    EXPECT_TRUE(p.authorization_endpoint().empty());
    EXPECT_TRUE(p.token_endpoint().empty());
    EXPECT_TRUE(p.userinfo_endpoint().empty());
    EXPECT_TRUE(p.jwks_uri().empty());
    EXPECT_TRUE(p.client_id().empty());
    EXPECT_TRUE(p.client_secret_source().empty());
    EXPECT_EQ(p.scopes_size(), 0);
    EXPECT_EQ(p.allowed_redirect_uris_size(), 0);
    EXPECT_TRUE(p.etag().empty());
  }
  EXPECT_EQ(anonymous->identity_providers(1).name(),
            "tenants/fr/identityProviders/x-com");

  // Admins see every provider in display order, every field.
  for (const auth::Principal* caller : {&admin_, &platform_}) {
    absl::StatusOr<v1::ListIdentityProvidersResponse> full = List(caller);
    ASSERT_TRUE(full.ok()) << full.status();
    ASSERT_EQ(full->identity_providers_size(), 3);
    EXPECT_EQ(full->identity_providers(0).name(),
              "tenants/fr/identityProviders/bank-sso");
    EXPECT_FALSE(full->identity_providers(0).enabled());
    EXPECT_EQ(full->identity_providers(0).client_secret_source(),
              "env:BANK_SSO_SECRET");
    EXPECT_EQ(full->identity_providers(2).userinfo_endpoint(),
              "https://api.x.com/2/users/me");
  }
  // Another tenant's list is its own (empty), an unknown tenant is not found.
  absl::StatusOr<v1::ListIdentityProvidersResponse> italy = List(nullptr, "it");
  ASSERT_TRUE(italy.ok());
  EXPECT_EQ(italy->identity_providers_size(), 0);
  EXPECT_EQ(List(nullptr, "zz").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(IdentityProvidersTest, ListPagesInDisplayOrder) {
  for (int i = 0; i < 5; ++i) {
    v1::IdentityProvider p = Google();
    p.set_display_order(i < 3 ? 5 : 1);  // ties broken by id
    MustCreate(absl::StrCat("oidc-", 4 - i), p);
  }
  std::vector<std::string> names;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListIdentityProvidersResponse> page =
        List(nullptr, "fr", 2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::IdentityProvider& p : page->identity_providers()) {
      names.push_back(p.name().substr(p.name().rfind('/') + 1));
    }
    token = page->next_page_token();
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(names,
              ElementsAre("oidc-0", "oidc-1", "oidc-2", "oidc-3", "oidc-4"));
  for (const std::string& bad : {std::string("%%%"), EncodePageToken("google"),
                                 EncodePageToken("x/Google")}) {
    absl::StatusOr<v1::ListIdentityProvidersResponse> refused =
        List(nullptr, "fr", 2, bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(refused.status().message()),
                StartsWith("page_token:"));
  }
}

struct InvalidCase {
  std::string label;
  std::function<void(v1::CreateIdentityProviderRequest&)> change;
  std::string field;
};

TEST_F(IdentityProvidersTest, CreateNamesTheInvalidField) {
  auto provider = [](v1::CreateIdentityProviderRequest& r) {
    return r.mutable_identity_provider();
  };
  const std::vector<InvalidCase> cases = {
      {"bad id", [](auto& r) { r.set_identity_provider_id("Google"); },
       "identity_provider_id:"},
      {"short id", [](auto& r) { r.set_identity_provider_id("g"); },
       "identity_provider_id:"},
      {"no provider", [](auto& r) { r.clear_identity_provider(); },
       "identity_provider:"},
      {"no type",
       [&](auto& r) {
         provider(r)->set_type(v1::IdentityProvider::TYPE_UNSPECIFIED);
       },
       "identity_provider.type:"},
      {"empty display name",
       [&](auto& r) { provider(r)->set_display_name(""); },
       "identity_provider.display_name:"},
      {"long display name",
       [&](auto& r) { provider(r)->set_display_name(std::string(61, 'g')); },
       "identity_provider.display_name:"},
      {"negative order", [&](auto& r) { provider(r)->set_display_order(-1); },
       "identity_provider.display_order:"},
      {"order above 1000",
       [&](auto& r) { provider(r)->set_display_order(1001); },
       "identity_provider.display_order:"},
      {"http issuer",
       [&](auto& r) { provider(r)->set_issuer("http://accounts.google.com"); },
       "identity_provider.issuer:"},
      {"http authorization endpoint",
       [&](auto& r) {
         provider(r)->set_authorization_endpoint("http://evil.example/auth");
       },
       "identity_provider.authorization_endpoint:"},
      {"no token endpoint",
       [&](auto& r) { provider(r)->set_token_endpoint(""); },
       "identity_provider.token_endpoint:"},
      {"userinfo with user information",
       [&](auto& r) {
         provider(r)->set_userinfo_endpoint("https://u:p@example.com/me");
       },
       "identity_provider.userinfo_endpoint:"},
      {"no jwks for OIDC", [&](auto& r) { provider(r)->set_jwks_uri(""); },
       "identity_provider.jwks_uri:"},
      {"http jwks",
       [&](auto& r) { provider(r)->set_jwks_uri("http://example.com/jwks"); },
       "identity_provider.jwks_uri:"},
      {"no client id", [&](auto& r) { provider(r)->set_client_id(""); },
       "identity_provider.client_id:"},
      {"long client id",
       [&](auto& r) { provider(r)->set_client_id(std::string(257, 'c')); },
       "identity_provider.client_id:"},
      {"secret itself",
       [&](auto& r) { provider(r)->set_client_secret_source("s3cr3t"); },
       "identity_provider.client_secret_source:"},
      {"lower-case env name",
       [&](auto& r) { provider(r)->set_client_secret_source("env:secret"); },
       "identity_provider.client_secret_source:"},
      {"empty env name",
       [&](auto& r) { provider(r)->set_client_secret_source("env:"); },
       "identity_provider.client_secret_source:"},
      {"long env name",
       [&](auto& r) {
         provider(r)->set_client_secret_source("env:" + std::string(129, 'A'));
       },
       "identity_provider.client_secret_source:"},
      {"relative file",
       [&](auto& r) {
         provider(r)->set_client_secret_source("file:secrets/google");
       },
       "identity_provider.client_secret_source:"},
      {"no scopes", [&](auto& r) { provider(r)->clear_scopes(); },
       "identity_provider.scopes:"},
      {"21 scopes",
       [&](auto& r) {
         for (int i = 0; i < 19; ++i)
           provider(r)->add_scopes(absl::StrCat("s", i));
       },
       "identity_provider.scopes:"},
      {"scope with a space",
       [&](auto& r) { provider(r)->set_scopes(1, "read write"); },
       "identity_provider.scopes[1]:"},
      {"long scope",
       [&](auto& r) { provider(r)->set_scopes(0, std::string(101, 's')); },
       "identity_provider.scopes[0]:"},
      {"no redirect",
       [&](auto& r) { provider(r)->clear_allowed_redirect_uris(); },
       "identity_provider.allowed_redirect_uris:"},
      {"11 redirects",
       [&](auto& r) {
         for (int i = 0; i < 10; ++i) {
           provider(r)->add_allowed_redirect_uris(
               absl::StrCat("https://fr.agora.example/cb", i));
         }
       },
       "identity_provider.allowed_redirect_uris:"},
      {"http redirect",
       [&](auto& r) {
         provider(r)->add_allowed_redirect_uris("http://fr.agora.example/cb");
       },
       "identity_provider.allowed_redirect_uris[1]:"},
      {"parent", [](auto& r) { r.set_parent("fr"); }, "parent:"},
  };
  for (const InvalidCase& c : cases) {
    v1::CreateIdentityProviderRequest request =
        CreateRequest("fr", "google", Google());
    c.change(request);
    absl::StatusOr<v1::IdentityProvider> created =
        CreateIdentityProvider(context(), admin_, request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.label;
    EXPECT_THAT(std::string(created.status().message()), StartsWith(c.field))
        << c.label;
  }
  // X needs its user endpoint and no JWKS.
  v1::IdentityProvider x = X();
  x.clear_userinfo_endpoint();
  absl::StatusOr<v1::IdentityProvider> refused = CreateIdentityProvider(
      context(), admin_, CreateRequest("fr", "x-com", x));
  EXPECT_THAT(std::string(refused.status().message()),
              StartsWith("identity_provider.userinfo_endpoint:"));
  EXPECT_EQ(Query("SELECT count(*) FROM identity_providers"), "0");
  EXPECT_TRUE(CreateIdentityProvider(context(), admin_,
                                     CreateRequest("fr", "x-com", X()))
                  .ok());
}

TEST_F(IdentityProvidersTest, UpdateKeepsTheTypeAndChecksTheEtag) {
  const v1::IdentityProvider created = MustCreate("google", Google());
  v1::IdentityProvider change = created;
  change.set_enabled(false);
  change.set_display_name("Google");
  change.set_client_id("not-in-the-mask");
  absl::StatusOr<v1::IdentityProvider> updated = UpdateIdentityProvider(
      context(), admin_, UpdateRequest(change, {"enabled", "display_name"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_FALSE(updated->enabled());
  EXPECT_EQ(updated->display_name(), "Google");
  EXPECT_EQ(updated->client_id(), "1234.apps.googleusercontent.com");
  EXPECT_NE(updated->etag(), created.etag());
  EXPECT_EQ(List(nullptr)->identity_providers_size(), 0) << "now disabled";

  // Stale etag.
  change.set_enabled(true);
  absl::StatusOr<v1::IdentityProvider> stale = UpdateIdentityProvider(
      context(), admin_, UpdateRequest(change, {"enabled"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");

  // The type cannot change; the mask cannot name unknown fields.
  change = *updated;
  change.set_type(v1::IdentityProvider::TYPE_OIDC);
  absl::StatusOr<v1::IdentityProvider> retyped = UpdateIdentityProvider(
      context(), admin_, UpdateRequest(change, {"type"}));
  EXPECT_EQ(retyped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(retyped.status().message()),
              StartsWith("identity_provider.type:"));
  absl::StatusOr<v1::IdentityProvider> unknown = UpdateIdentityProvider(
      context(), admin_, UpdateRequest(*updated, {"secret"}));
  EXPECT_THAT(std::string(unknown.status().message()),
              StartsWith("update_mask:"));
  absl::StatusOr<v1::IdentityProvider> no_mask =
      UpdateIdentityProvider(context(), admin_, UpdateRequest(*updated, {}));
  EXPECT_THAT(std::string(no_mask.status().message()),
              StartsWith("update_mask:"));

  // The merged provider is validated.
  change = *updated;
  change.set_token_endpoint("http://oauth2.googleapis.com/token");
  absl::StatusOr<v1::IdentityProvider> insecure = UpdateIdentityProvider(
      context(), admin_, UpdateRequest(change, {"token_endpoint"}));
  EXPECT_THAT(std::string(insecure.status().message()),
              StartsWith("identity_provider.token_endpoint:"));

  // "*" with the stored type replaces every mutable field.
  change = Google();
  change.set_name(created.name());
  change.set_display_order(99);
  absl::StatusOr<v1::IdentityProvider> replaced = UpdateIdentityProvider(
      context(), platform_, UpdateRequest(change, {"*"}));
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->display_order(), 99);
  EXPECT_TRUE(replaced->enabled());
}

TEST_F(IdentityProvidersTest, UpdateRetryWithTheSameRequestId) {
  const v1::IdentityProvider created = MustCreate("google", Google());
  v1::IdentityProvider change = created;
  change.set_display_order(7);
  v1::UpdateIdentityProviderRequest update =
      UpdateRequest(change, {"display_order"});
  update.set_request_id("5f1d0c9e-4d1b-4a49-8a32-000000000001");
  absl::StatusOr<v1::IdentityProvider> first =
      UpdateIdentityProvider(context(), admin_, update);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::IdentityProvider> retry =
      UpdateIdentityProvider(context(), admin_, update);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), first->etag());
  EXPECT_EQ(Query("SELECT version FROM identity_providers WHERE id = 'google'"),
            "2");
}

TEST_F(IdentityProvidersTest, DeleteWithEtag) {
  const v1::IdentityProvider created = MustCreate("google", Google());
  v1::DeleteIdentityProviderRequest remove;
  remove.set_name(created.name());
  remove.set_etag("p99");
  absl::StatusOr<google::protobuf::Empty> stale =
      DeleteIdentityProvider(context(), admin_, remove);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");
  remove.set_etag(created.etag());
  ASSERT_TRUE(DeleteIdentityProvider(context(), admin_, remove).ok());
  EXPECT_EQ(Get(created.name(), admin_).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DeleteIdentityProvider(context(), admin_, remove).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(IdentityProvidersTest, SuspendedTenantRefusesWrites) {
  Exec("UPDATE tenants SET state = 2 WHERE id = 'fr'");
  absl::StatusOr<v1::IdentityProvider> refused = CreateIdentityProvider(
      context(), admin_, CreateRequest("fr", "google", Google()));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(List(nullptr).ok()) << "reads keep working";
}

}  // namespace
}  // namespace agora::identity
