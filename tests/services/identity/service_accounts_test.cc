// Service accounts, their secrets and the client-credentials exchange
// through the domain, on real PostgreSQL and Redis.
#include "services/identity/domain/service_accounts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/principal.h"
#include "libs/auth/roles.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/domain/secret_tokens.h"
#include "services/identity/repository/member_store.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

v1::ServiceAccount Crm() {
  v1::ServiceAccount account;
  account.set_display_name("CRM");
  account.set_description("The bank's CRM reads questions of its customers.");
  account.add_scopes("content.read");
  account.add_scopes("identity.read");
  return account;
}

class ServiceAccountsTest : public IdentityTest {
 protected:
  auth::Principal admin_ =
      TenantAdmin("fr", "bbbbbbbb-0000-0000-0000-000000000001");
  auth::Principal it_admin_ =
      TenantAdmin("it", "bbbbbbbb-0000-0000-0000-000000000002");
  auth::Principal member_ =
      Member("fr", "bbbbbbbb-0000-0000-0000-000000000003");
  auth::Principal platform_ =
      PlatformAdmin("bbbbbbbb-0000-0000-0000-000000000004");

  absl::StatusOr<v1::ServiceAccount> Create(
      const auth::Principal& caller, const std::string& parent,
      const std::string& id, const v1::ServiceAccount& account,
      const std::string& request_id = "") {
    v1::CreateServiceAccountRequest request;
    request.set_parent(parent);
    request.set_service_account_id(id);
    *request.mutable_service_account() = account;
    request.set_request_id(request_id);
    return CreateServiceAccount(context(), caller, request);
  }

  v1::ServiceAccount MustCreate(const std::string& id = "crm") {
    absl::StatusOr<v1::ServiceAccount> created =
        Create(admin_, "tenants/fr", id, Crm());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::ServiceAccount();
  }

  absl::StatusOr<v1::ServiceAccountSecret> NewSecret(
      const auth::Principal& caller, const std::string& account,
      const std::string& request_id = "") {
    v1::CreateServiceAccountSecretRequest request;
    request.set_parent(account);
    request.set_request_id(request_id);
    return CreateServiceAccountSecret(context(), caller, request);
  }

  std::string MustSecret(const std::string& account) {
    absl::StatusOr<v1::ServiceAccountSecret> secret =
        NewSecret(admin_, account);
    EXPECT_TRUE(secret.ok()) << secret.status();
    return secret.ok() ? secret->secret() : "";
  }

  absl::StatusOr<v1::ServiceAccountToken> Issue(
      const std::string& account, const std::string& secret,
      std::vector<std::string> scopes = {}, const std::string& tenant = "") {
    v1::IssueServiceAccountTokenRequest request;
    request.set_service_account(account);
    request.set_client_secret(secret);
    for (const std::string& scope : scopes) request.add_scopes(scope);
    request.set_tenant(tenant);
    return IssueServiceAccountToken(context(), nullptr,
                                    CallInfo{"198.51.100.7"}, request);
  }

  v1::UpdateServiceAccountRequest UpdateRequest(
      const v1::ServiceAccount& account, std::vector<std::string> paths) {
    v1::UpdateServiceAccountRequest request;
    *request.mutable_service_account() = account;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return request;
  }

  absl::StatusOr<v1::ListServiceAccountSecretsResponse> Secrets(
      const auth::Principal& caller, const std::string& account) {
    v1::ListServiceAccountSecretsRequest request;
    request.set_parent(account);
    return ListServiceAccountSecrets(context(), caller, request);
  }
};

TEST_F(ServiceAccountsTest, TenantAdminsManageTheirTenantsAccounts) {
  const v1::ServiceAccount created = MustCreate();
  EXPECT_EQ(created.name(), "tenants/fr/serviceAccounts/crm");
  EXPECT_EQ(created.state(), v1::ServiceAccount::STATE_ACTIVE);
  EXPECT_THAT(created.scopes(), ElementsAre("content.read", "identity.read"));
  EXPECT_FALSE(created.has_last_token_time());

  v1::GetServiceAccountRequest get;
  get.set_name(created.name());
  absl::StatusOr<v1::ServiceAccount> read =
      GetServiceAccount(context(), admin_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->description(), Crm().description());
  EXPECT_TRUE(GetServiceAccount(context(), platform_, get).ok());

  EXPECT_EQ(Create(admin_, "tenants/fr", "crm", Crm()).status().code(),
            absl::StatusCode::kAlreadyExists);
  // The same id in another tenant is another account.
  EXPECT_TRUE(Create(it_admin_, "tenants/it", "crm", Crm()).ok());

  v1::ServiceAccount change = *read;
  change.set_display_name("CRM (read-only)");
  change.set_description("ignored: not in the mask");
  absl::StatusOr<v1::ServiceAccount> updated = UpdateServiceAccount(
      context(), admin_, UpdateRequest(change, {"display_name"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "CRM (read-only)");
  EXPECT_EQ(updated->description(), Crm().description());
  EXPECT_NE(updated->etag(), read->etag());

  // The etag read before that update is stale.
  absl::StatusOr<v1::ServiceAccount> stale = UpdateServiceAccount(
      context(), admin_, UpdateRequest(change, {"display_name"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");
  absl::StatusOr<v1::ServiceAccount> unknown_path = UpdateServiceAccount(
      context(), admin_, UpdateRequest(*updated, {"name"}));
  EXPECT_EQ(unknown_path.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown_path.status().message()),
              StartsWith("update_mask:"));

  v1::DeleteServiceAccountRequest remove;
  remove.set_name(created.name());
  remove.set_etag(read->etag());
  EXPECT_EQ(status::ReasonOf(
                DeleteServiceAccount(context(), admin_, remove).status()),
            "ETAG_MISMATCH");
  remove.set_etag(updated->etag());
  ASSERT_TRUE(DeleteServiceAccount(context(), admin_, remove).ok());
  EXPECT_EQ(GetServiceAccount(context(), admin_, get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DeleteServiceAccount(context(), admin_, remove).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ServiceAccountsTest, PlatformWideAccountsArePlatformAdminsAlone) {
  absl::StatusOr<v1::ServiceAccount> created =
      Create(platform_, "", "ranking", Crm());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "serviceAccounts/ranking");
  EXPECT_EQ(Create(admin_, "", "moderation", Crm()).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::GetServiceAccountRequest get;
  get.set_name("serviceAccounts/ranking");
  EXPECT_EQ(GetServiceAccount(context(), admin_, get).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListServiceAccountsRequest list;
  EXPECT_EQ(ListServiceAccounts(context(), admin_, list).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::ListServiceAccountsResponse> listed =
      ListServiceAccounts(context(), platform_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->service_accounts_size(), 1);
  EXPECT_EQ(listed->service_accounts(0).name(), "serviceAccounts/ranking");
  EXPECT_EQ(NewSecret(admin_, "serviceAccounts/ranking").status().code(),
            absl::StatusCode::kPermissionDenied);
  // A tenant's list does not show platform-wide accounts.
  list.set_parent("tenants/fr");
  EXPECT_EQ(
      ListServiceAccounts(context(), admin_, list)->service_accounts_size(), 0);
}

TEST_F(ServiceAccountsTest, AnotherTenantsAdminAndMembersCanDoNothing) {
  const v1::ServiceAccount created = MustCreate();
  const std::string secret = MustSecret(created.name());
  absl::StatusOr<v1::ListServiceAccountSecretsResponse> secrets =
      Secrets(admin_, created.name());
  ASSERT_TRUE(secrets.ok());
  const std::string secret_name = secrets->secrets(0).name();
  for (const auth::Principal& caller :
       {it_admin_, member_, Service("fr", {"identity.read"}),
        Moderator("fr", "bbbbbbbb-0000-0000-0000-000000000005")}) {
    EXPECT_EQ(Create(caller, "tenants/fr", "other", Crm()).status().code(),
              absl::StatusCode::kPermissionDenied);
    v1::GetServiceAccountRequest get;
    get.set_name(created.name());
    EXPECT_EQ(GetServiceAccount(context(), caller, get).status().code(),
              absl::StatusCode::kPermissionDenied);
    v1::ListServiceAccountsRequest list;
    list.set_parent("tenants/fr");
    EXPECT_EQ(ListServiceAccounts(context(), caller, list).status().code(),
              absl::StatusCode::kPermissionDenied);
    v1::ServiceAccount change = created;
    change.set_state(v1::ServiceAccount::STATE_DISABLED);
    EXPECT_EQ(UpdateServiceAccount(context(), caller,
                                   UpdateRequest(change, {"state"}))
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
    v1::DeleteServiceAccountRequest remove;
    remove.set_name(created.name());
    EXPECT_EQ(DeleteServiceAccount(context(), caller, remove).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(NewSecret(caller, created.name()).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Secrets(caller, created.name()).status().code(),
              absl::StatusCode::kPermissionDenied);
    v1::DeleteServiceAccountSecretRequest remove_secret;
    remove_secret.set_name(secret_name);
    EXPECT_EQ(DeleteServiceAccountSecret(context(), caller, remove_secret)
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(Query("SELECT count(*) FROM service_accounts"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM service_account_secrets"), "1");
  EXPECT_EQ(Query("SELECT state FROM service_accounts"), "1");
  EXPECT_TRUE(Issue(created.name(), secret).ok());
}

struct InvalidCase {
  std::string label;
  std::function<void(v1::CreateServiceAccountRequest&)> change;
  std::string field;
};

TEST_F(ServiceAccountsTest, CreateNamesTheInvalidField) {
  const std::vector<InvalidCase> cases = {
      {"bad id", [](auto& r) { r.set_service_account_id("CRM"); },
       "service_account_id:"},
      {"long id",
       [](auto& r) { r.set_service_account_id(std::string(64, 'c')); },
       "service_account_id:"},
      {"no account", [](auto& r) { r.clear_service_account(); },
       "service_account:"},
      {"empty display name",
       [](auto& r) { r.mutable_service_account()->set_display_name(""); },
       "service_account.display_name:"},
      {"long display name",
       [](auto& r) {
         r.mutable_service_account()->set_display_name(std::string(101, 'c'));
       },
       "service_account.display_name:"},
      {"long description",
       [](auto& r) {
         r.mutable_service_account()->set_description(std::string(501, 'd'));
       },
       "service_account.description:"},
      {"no scopes",
       [](auto& r) { r.mutable_service_account()->clear_scopes(); },
       "service_account.scopes:"},
      {"33 scopes",
       [](auto& r) {
         for (int i = 0; i < 31; ++i) {
           r.mutable_service_account()->add_scopes("content.read");
         }
       },
       "service_account.scopes:"},
      {"unknown scope",
       [](auto& r) { r.mutable_service_account()->set_scopes(1, "admin.all"); },
       "service_account.scopes[1]: unknown scope \"admin.all\""},
      {"duplicate scope",
       [](auto& r) {
         r.mutable_service_account()->set_scopes(1, "content.read");
       },
       "service_account.scopes[1]:"},
      {"unknown state",
       [](auto& r) {
         r.mutable_service_account()->set_state(
             static_cast<v1::ServiceAccount::State>(9));
       },
       "service_account.state:"},
      {"bad parent", [](auto& r) { r.set_parent("tenant/fr"); }, "parent:"},
      {"bad request id", [](auto& r) { r.set_request_id("a b"); },
       "request_id:"},
  };
  for (const InvalidCase& c : cases) {
    v1::CreateServiceAccountRequest request;
    request.set_parent("tenants/fr");
    request.set_service_account_id("crm");
    *request.mutable_service_account() = Crm();
    c.change(request);
    absl::StatusOr<v1::ServiceAccount> created =
        CreateServiceAccount(context(), admin_, request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.label;
    EXPECT_THAT(std::string(created.status().message()), StartsWith(c.field))
        << c.label;
  }
  EXPECT_EQ(Query("SELECT count(*) FROM service_accounts"), "0");
}

TEST_F(ServiceAccountsTest, CreateAndUpdateRetriesAnswerOnce) {
  absl::StatusOr<v1::ServiceAccount> first =
      Create(admin_, "tenants/fr", "crm", Crm(), "req-create-1");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::ServiceAccount> retry =
      Create(admin_, "tenants/fr", "crm", Crm(), "req-create-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), first->etag());

  v1::ServiceAccount change = *first;
  change.clear_scopes();
  change.add_scopes("content.write");
  v1::UpdateServiceAccountRequest update = UpdateRequest(change, {"scopes"});
  update.set_request_id("req-update-1");
  absl::StatusOr<v1::ServiceAccount> updated =
      UpdateServiceAccount(context(), admin_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->scopes(), ElementsAre("content.write"));
  absl::StatusOr<v1::ServiceAccount> again =
      UpdateServiceAccount(context(), admin_, update);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), updated->etag());
  EXPECT_EQ(Query("SELECT version FROM service_accounts"), "2");
}

TEST_F(ServiceAccountsTest, ListPagesById) {
  for (const char* id : {"erp", "crm", "bi", "dwh", "app"}) MustCreate(id);
  v1::ListServiceAccountsRequest request;
  request.set_parent("tenants/fr");
  request.set_page_size(2);
  std::vector<std::string> names;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListServiceAccountsResponse> page =
        ListServiceAccounts(context(), admin_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::ServiceAccount& account : page->service_accounts()) {
      names.push_back(account.name().substr(account.name().rfind('/') + 1));
    }
    request.set_page_token(page->next_page_token());
    ASSERT_LT(++pages, 10);
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(names, ElementsAre("app", "bi", "crm", "dwh", "erp"));
  request.set_page_token(EncodePageToken("Not An Id"));
  absl::StatusOr<v1::ListServiceAccountsResponse> refused =
      ListServiceAccounts(context(), admin_, request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              StartsWith("page_token:"));
}

TEST_F(ServiceAccountsTest, SecretsAreShownOnceAndStoredHashed) {
  const v1::ServiceAccount account = MustCreate();
  absl::StatusOr<v1::ServiceAccountSecret> created =
      NewSecret(admin_, account.name(), "req-secret-1");
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string secret = created->secret();
  ASSERT_EQ(secret.size(), 64u);
  EXPECT_TRUE(ValidateSecretTokenFormat("s", secret, 64, 64).ok());
  EXPECT_EQ(created->secret_hint(), secret.substr(60));
  EXPECT_THAT(created->name(),
              StartsWith("tenants/fr/serviceAccounts/crm/secrets/"));
  EXPECT_FALSE(created->has_expire_time());

  // Only the hash is stored.
  EXPECT_EQ(Query("SELECT count(*) FROM service_account_secrets"
                  " WHERE secret_hash = $1",
                  pqxx::binarystring(HashSecretToken(secret))),
            "1");
  EXPECT_EQ(Query("SELECT count(*) FROM service_account_secrets WHERE"
                  " position($1::bytea in secret_hash) > 0 OR hint = $2",
                  pqxx::binarystring(secret), secret),
            "0");

  // A retry answers the metadata without the plaintext.
  absl::StatusOr<v1::ServiceAccountSecret> retry =
      NewSecret(admin_, account.name(), "req-secret-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), created->name());
  EXPECT_TRUE(retry->secret().empty());
  EXPECT_EQ(retry->secret_hint(), created->secret_hint());
  EXPECT_EQ(Query("SELECT count(*) FROM service_account_secrets"), "1");

  absl::StatusOr<v1::ListServiceAccountSecretsResponse> listed =
      Secrets(admin_, account.name());
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->secrets_size(), 1);
  EXPECT_TRUE(listed->secrets(0).secret().empty());
  EXPECT_EQ(listed->secrets(0).secret_hint(), secret.substr(60));
  EXPECT_EQ(Secrets(admin_, "tenants/fr/serviceAccounts/none").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      NewSecret(admin_, "tenants/fr/serviceAccounts/none").status().code(),
      absl::StatusCode::kNotFound);
}

TEST_F(ServiceAccountsTest, AtMostFiveSecretsListedNewestFirst) {
  const v1::ServiceAccount account = MustCreate();
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<v1::ServiceAccountSecret> secret =
        NewSecret(admin_, account.name());
    ASSERT_TRUE(secret.ok()) << i << ": " << secret.status();
    names.insert(names.begin(), secret->name());
  }
  absl::StatusOr<v1::ServiceAccountSecret> sixth =
      NewSecret(admin_, account.name());
  EXPECT_EQ(sixth.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Query("SELECT count(*) FROM service_account_secrets"), "5");

  // Newest first, across pages of 2.
  std::vector<std::string> listed;
  v1::ListServiceAccountSecretsRequest request;
  request.set_parent(account.name());
  request.set_page_size(2);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListServiceAccountSecretsResponse> page =
        ListServiceAccountSecrets(context(), admin_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::ServiceAccountSecret& s : page->secrets()) {
      listed.push_back(s.name());
    }
    request.set_page_token(page->next_page_token());
    ASSERT_LT(++pages, 10);
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, names);
  request.set_page_token(EncodePageToken("yesterday/abc"));
  EXPECT_THAT(std::string(ListServiceAccountSecrets(context(), admin_, request)
                              .status()
                              .message()),
              StartsWith("page_token:"));

  // Deleting one makes room again.
  v1::DeleteServiceAccountSecretRequest remove;
  remove.set_name(names.back());
  ASSERT_TRUE(DeleteServiceAccountSecret(context(), admin_, remove).ok());
  EXPECT_EQ(
      DeleteServiceAccountSecret(context(), admin_, remove).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_TRUE(NewSecret(admin_, account.name()).ok());
}

TEST_F(ServiceAccountsTest, SecretExpiryIsOneHourToTwoYears) {
  const v1::ServiceAccount account = MustCreate();
  const absl::Time now = absl::Now();
  for (const absl::Duration lifetime :
       {absl::Minutes(30), absl::Hours(24 * 731), absl::Hours(-1)}) {
    v1::CreateServiceAccountSecretRequest request;
    request.set_parent(account.name());
    SetTimestamp(request.mutable_secret()->mutable_expire_time(),
                 now + lifetime);
    absl::StatusOr<v1::ServiceAccountSecret> refused =
        CreateServiceAccountSecret(context(), admin_, request);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(refused.status().message()),
                StartsWith("secret.expire_time:"));
  }
  v1::CreateServiceAccountSecretRequest request;
  request.set_parent(account.name());
  SetTimestamp(request.mutable_secret()->mutable_expire_time(),
               now + absl::Hours(2));
  absl::StatusOr<v1::ServiceAccountSecret> created =
      CreateServiceAccountSecret(context(), admin_, request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(FromTimestamp(created->expire_time()),
            absl::FromUnixMicros(absl::ToUnixMicros(now + absl::Hours(2))));
  EXPECT_TRUE(Issue(account.name(), created->secret()).ok());

  // Three hours later it no longer works: the same answer as a wrong one.
  context().now = [now] { return now + absl::Hours(3); };
  absl::StatusOr<v1::ServiceAccountToken> expired =
      Issue(account.name(), created->secret());
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status::ReasonOf(expired.status()), "INVALID_CREDENTIALS");
}

TEST_F(ServiceAccountsTest, TokenVerifiesAndCarriesTheAccount) {
  const v1::ServiceAccount account = MustCreate();
  const std::string secret = MustSecret(account.name());
  absl::StatusOr<v1::ServiceAccountToken> token = Issue(account.name(), secret);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token_type(), "Bearer");
  EXPECT_THAT(token->scopes(), ElementsAre("content.read", "identity.read"));
  EXPECT_GT(FromTimestamp(token->expire_time()), absl::Now());

  absl::StatusOr<auth::Claims> claims =
      verifier().Verify(token->access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  absl::StatusOr<auth::Principal> principal =
      auth::PrincipalFromClaims(*claims);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "tenants/fr/serviceAccounts/crm");
  EXPECT_EQ(principal->tenant, "fr");
  EXPECT_THAT(principal->roles, ElementsAre(auth::kRoleService));
  EXPECT_TRUE(principal->is_service_account);
  EXPECT_THAT(principal->scopes,
              UnorderedElementsAre("content.read", "identity.read"));

  // A subset of the scopes, and the account's own tenant named explicitly.
  absl::StatusOr<v1::ServiceAccountToken> narrow =
      Issue(account.name(), secret, {"identity.read"}, "tenants/fr");
  ASSERT_TRUE(narrow.ok()) << narrow.status();
  claims = verifier().Verify(narrow->access_token());
  ASSERT_TRUE(claims.ok());
  EXPECT_THAT(claims->scopes, ElementsAre("identity.read"));

  // Last use is recorded on the account and the secret.
  v1::GetServiceAccountRequest get;
  get.set_name(account.name());
  EXPECT_TRUE(GetServiceAccount(context(), admin_, get)->has_last_token_time());
  EXPECT_TRUE(Secrets(admin_, account.name())->secrets(0).has_last_used_time());
}

TEST_F(ServiceAccountsTest, ScopesAndTenantMustBeTheAccounts) {
  const v1::ServiceAccount account = MustCreate();
  const std::string secret = MustSecret(account.name());
  absl::StatusOr<v1::ServiceAccountToken> wider =
      Issue(account.name(), secret, {"identity.read", "content.write"});
  EXPECT_EQ(wider.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(wider.status().message()), StartsWith("scopes[1]:"));
  absl::StatusOr<v1::ServiceAccountToken> elsewhere =
      Issue(account.name(), secret, {}, "tenants/it");
  EXPECT_EQ(elsewhere.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(elsewhere.status().message()), StartsWith("tenant:"));

  // Platform-wide accounts name the tenant they act in, one that exists.
  ASSERT_TRUE(Create(platform_, "", "ranking", Crm()).ok());
  absl::StatusOr<v1::ServiceAccountSecret> platform_secret =
      NewSecret(platform_, "serviceAccounts/ranking");
  ASSERT_TRUE(platform_secret.ok()) << platform_secret.status();
  absl::StatusOr<v1::ServiceAccountToken> no_tenant =
      Issue("serviceAccounts/ranking", platform_secret->secret());
  EXPECT_EQ(no_tenant.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_tenant.status().message()), StartsWith("tenant:"));
  absl::StatusOr<v1::ServiceAccountToken> unknown_tenant = Issue(
      "serviceAccounts/ranking", platform_secret->secret(), {}, "tenants/zz");
  EXPECT_EQ(unknown_tenant.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown_tenant.status().message()),
              StartsWith("tenant:"));
  absl::StatusOr<v1::ServiceAccountToken> in_italy = Issue(
      "serviceAccounts/ranking", platform_secret->secret(), {}, "tenants/it");
  ASSERT_TRUE(in_italy.ok()) << in_italy.status();
  absl::StatusOr<auth::Claims> claims =
      verifier().Verify(in_italy->access_token());
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->tenant, "it");
  EXPECT_EQ(claims->subject, "serviceAccounts/ranking");
}

TEST_F(ServiceAccountsTest, UnknownAccountAndWrongSecretLookTheSame) {
  const v1::ServiceAccount account = MustCreate();
  const std::string secret = MustSecret(account.name());
  // Another account's valid secret is a wrong secret for this one.
  MustCreate("erp");
  const std::string erp_secret = MustSecret("tenants/fr/serviceAccounts/erp");

  const absl::Status wrong = Issue(account.name(), NewSecretToken(48)).status();
  const absl::Status unknown =
      Issue("tenants/fr/serviceAccounts/ghost", secret).status();
  const absl::Status crossed = Issue(account.name(), erp_secret).status();
  const absl::Status other_tenant =
      Issue("tenants/it/serviceAccounts/crm", secret).status();
  const absl::Status garbage =
      Issue(account.name(), std::string(500, 'x')).status();
  for (const absl::Status& status :
       {wrong, unknown, crossed, other_tenant, garbage}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
    EXPECT_EQ(status.message(), wrong.message());
    EXPECT_EQ(status::ReasonOf(status), "INVALID_CREDENTIALS");
  }
  EXPECT_EQ(Issue(account.name(), "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ServiceAccountsTest, DisabledAccountsGetNoToken) {
  const v1::ServiceAccount account = MustCreate();
  const std::string secret = MustSecret(account.name());
  v1::ServiceAccount change = account;
  change.set_state(v1::ServiceAccount::STATE_DISABLED);
  ASSERT_TRUE(
      UpdateServiceAccount(context(), admin_, UpdateRequest(change, {"state"}))
          .ok());
  absl::StatusOr<v1::ServiceAccountToken> refused =
      Issue(account.name(), secret);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status::ReasonOf(refused.status()), "ACCOUNT_DISABLED");
  // A wrong secret still learns nothing about the state.
  EXPECT_EQ(Issue(account.name(), NewSecretToken(48)).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(ServiceAccountsTest, RotationBothSecretsWorkUntilTheOldIsDeleted) {
  const v1::ServiceAccount account = MustCreate();
  absl::StatusOr<v1::ServiceAccountSecret> old_secret =
      NewSecret(admin_, account.name());
  absl::StatusOr<v1::ServiceAccountSecret> new_secret =
      NewSecret(admin_, account.name());
  ASSERT_TRUE(old_secret.ok() && new_secret.ok());
  EXPECT_NE(old_secret->secret(), new_secret->secret());
  EXPECT_TRUE(Issue(account.name(), old_secret->secret()).ok());
  EXPECT_TRUE(Issue(account.name(), new_secret->secret()).ok());

  v1::DeleteServiceAccountSecretRequest remove;
  remove.set_name(old_secret->name());
  ASSERT_TRUE(DeleteServiceAccountSecret(context(), admin_, remove).ok());
  absl::StatusOr<v1::ServiceAccountToken> stopped =
      Issue(account.name(), old_secret->secret());
  EXPECT_EQ(stopped.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Issue(account.name(), new_secret->secret()).ok());

  // Deleting the account removes its secrets with it.
  v1::DeleteServiceAccountRequest delete_account;
  delete_account.set_name(account.name());
  ASSERT_TRUE(DeleteServiceAccount(context(), admin_, delete_account).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM service_account_secrets"), "0");
  EXPECT_EQ(Issue(account.name(), new_secret->secret()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(ServiceAccountsTest, GuessingIsThrottledLikeLogin) {
  context().settings.free_failures_before_backoff = 2;
  const v1::ServiceAccount account = MustCreate();
  const std::string secret = MustSecret(account.name());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Issue(account.name(), NewSecretToken(48)).status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  // Past the free failures even the right secret must wait.
  absl::StatusOr<v1::ServiceAccountToken> throttled =
      Issue(account.name(), secret);
  EXPECT_EQ(throttled.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status::ReasonOf(throttled.status()), "RATE_LIMITED");
  // Another account is not affected.
  MustCreate("erp");
  EXPECT_TRUE(Issue("tenants/fr/serviceAccounts/erp",
                    MustSecret("tenants/fr/serviceAccounts/erp"))
                  .ok());
}

}  // namespace
}  // namespace agora::identity
