// The tenant RPCs and GetJwks through the domain, on real PostgreSQL.
#include "services/identity/domain/tenants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agora/events/v1/events.pb.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/jwks.h"
#include "services/identity/domain/page_tokens.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::Tenant ValidTenant() {
  v1::Tenant tenant;
  tenant.set_display_name("Nederland");
  tenant.set_default_language("nl");
  tenant.add_allowed_languages("nl");
  tenant.add_allowed_languages("en");
  tenant.set_time_zone("Europe/Amsterdam");
  tenant.add_hosts("nl.agora.example");
  tenant.add_reserved_display_names("Klantenservice");
  tenant.set_terms_version("2026-01");
  return tenant;
}

v1::CreateTenantRequest CreateRequest(const std::string& id,
                                      const v1::Tenant& tenant) {
  v1::CreateTenantRequest request;
  request.set_tenant_id(id);
  *request.mutable_tenant() = tenant;
  return request;
}

class TenantsTest : public IdentityTest {
 protected:
  auth::Principal platform_ =
      PlatformAdmin("11111111-1111-1111-1111-111111111111");

  v1::Tenant MustCreate(const std::string& id, const v1::Tenant& tenant) {
    absl::StatusOr<v1::Tenant> created =
        CreateTenant(context(), platform_, CreateRequest(id, tenant));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Tenant();
  }

  absl::StatusOr<v1::Tenant> Get(const std::string& name) {
    v1::GetTenantRequest request;
    request.set_name(name);
    return GetTenant(context(), nullptr, CallInfo{}, request);
  }

  // The identity events in the outbox, oldest first.
  std::vector<events::v1::Event> Events() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  for (const pqxx::row& row :
                       tx.exec("SELECT payload FROM outbox ORDER BY id")) {
                    events::v1::Event event;
                    event.ParseFromString(pqxx::binarystring(row[0]).str());
                    events.push_back(event);
                  }
                  return absl::OkStatus();
                }).ok());
    return events;
  }

  v1::UpdateTenantRequest UpdateRequest(const v1::Tenant& tenant,
                                        std::vector<std::string> paths) {
    v1::UpdateTenantRequest request;
    *request.mutable_tenant() = tenant;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return request;
  }
};

TEST_F(TenantsTest, CreateStoresTheTenantItsHostsAndAnEvent) {
  const v1::Tenant created = MustCreate("nl", ValidTenant());
  EXPECT_EQ(created.name(), "tenants/nl");
  EXPECT_EQ(created.state(), v1::Tenant::STATE_ACTIVE);
  EXPECT_THAT(created.allowed_languages(), ElementsAre("nl", "en"));
  EXPECT_THAT(created.hosts(), ElementsAre("nl.agora.example"));
  EXPECT_FALSE(created.etag().empty());
  EXPECT_TRUE(created.has_create_time());
  EXPECT_EQ(Query("SELECT tenant FROM tenant_hosts WHERE host = $1",
                  std::string("nl.agora.example")),
            "nl");

  absl::StatusOr<v1::Tenant> read = Get("tenants/nl");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->time_zone(), "Europe/Amsterdam");
  EXPECT_EQ(read->etag(), created.etag());

  const std::vector<events::v1::Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0].has_tenant_created());
  EXPECT_EQ(events[0].tenant_created().tenant(), "tenants/nl");
  EXPECT_EQ(events[0].tenant_created().time_zone(), "Europe/Amsterdam");
  EXPECT_THAT(events[0].tenant_created().allowed_languages(),
              ElementsAre("nl", "en"));
}

TEST_F(TenantsTest, OnlyPlatformAdminsCreateAndUpdate) {
  for (const auth::Principal& caller :
       {TenantAdmin("fr", "22222222-2222-2222-2222-222222222222"),
        Member("fr", "33333333-3333-3333-3333-333333333333"),
        Service("fr", {"identity.read"})}) {
    EXPECT_EQ(
        CreateTenant(context(), caller, CreateRequest("nl", ValidTenant()))
            .status()
            .code(),
        absl::StatusCode::kPermissionDenied);
    v1::Tenant fr = *Get("tenants/fr");
    fr.set_display_name("Taken over");
    EXPECT_EQ(
        UpdateTenant(context(), caller, UpdateRequest(fr, {"display_name"}))
            .status()
            .code(),
        absl::StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(Get("tenants/nl").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get("tenants/fr")->display_name(), "fr");
}

TEST_F(TenantsTest, CreateRefusesATakenId) {
  absl::StatusOr<v1::Tenant> again =
      CreateTenant(context(), platform_, CreateRequest("fr", ValidTenant()));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Get("tenants/fr")->display_name(), "fr");
}

struct InvalidCase {
  std::string label;
  std::function<void(v1::CreateTenantRequest&)> change;
  std::string field;  // the message's start
};

TEST_F(TenantsTest, CreateNamesTheInvalidField) {
  const std::vector<InvalidCase> cases = {
      {"id upper case", [](auto& r) { r.set_tenant_id("NL"); }, "tenant_id:"},
      {"id too short", [](auto& r) { r.set_tenant_id("n"); }, "tenant_id:"},
      {"id too long", [](auto& r) { r.set_tenant_id(std::string(33, 'n')); },
       "tenant_id:"},
      {"no tenant", [](auto& r) { r.clear_tenant(); }, "tenant:"},
      {"empty display name",
       [](auto& r) { r.mutable_tenant()->set_display_name(""); },
       "tenant.display_name:"},
      {"long display name",
       [](auto& r) {
         r.mutable_tenant()->set_display_name(std::string(101, 'x'));
       },
       "tenant.display_name:"},
      {"no languages",
       [](auto& r) { r.mutable_tenant()->clear_allowed_languages(); },
       "tenant.allowed_languages:"},
      {"17 languages",
       [](auto& r) {
         for (int i = 0; i < 15; ++i) {
           r.mutable_tenant()->add_allowed_languages(absl::StrCat("x", i));
         }
       },
       "tenant.allowed_languages:"},
      {"bad language tag",
       [](auto& r) { r.mutable_tenant()->set_allowed_languages(1, "e"); },
       "tenant.allowed_languages[1]:"},
      {"duplicate language",
       [](auto& r) { r.mutable_tenant()->set_allowed_languages(1, "nl"); },
       "tenant.allowed_languages[1]:"},
      {"default not allowed",
       [](auto& r) { r.mutable_tenant()->set_default_language("fr"); },
       "tenant.default_language:"},
      {"unknown time zone",
       [](auto& r) { r.mutable_tenant()->set_time_zone("Mars/Olympus"); },
       "tenant.time_zone:"},
      {"time zone as a path",
       [](auto& r) { r.mutable_tenant()->set_time_zone("/etc/passwd"); },
       "tenant.time_zone:"},
      {"time zone traversal",
       [](auto& r) {
         r.mutable_tenant()->set_time_zone("Europe/../Europe/Paris");
       },
       "tenant.time_zone:"},
      {"empty time zone",
       [](auto& r) { r.mutable_tenant()->set_time_zone(""); },
       "tenant.time_zone:"},
      {"unknown state",
       [](auto& r) {
         r.mutable_tenant()->set_state(static_cast<v1::Tenant::State>(7));
       },
       "tenant.state:"},
      {"upper-case host",
       [](auto& r) { r.mutable_tenant()->set_hosts(0, "NL.agora.example"); },
       "tenant.hosts[0]:"},
      {"host with port",
       [](auto& r) {
         r.mutable_tenant()->set_hosts(0, "nl.agora.example:8443");
       },
       "tenant.hosts[0]:"},
      {"host with scheme",
       [](auto& r) {
         r.mutable_tenant()->set_hosts(0, "https://nl.agora.example");
       },
       "tenant.hosts[0]:"},
      {"empty host label",
       [](auto& r) { r.mutable_tenant()->set_hosts(0, "nl..example"); },
       "tenant.hosts[0]:"},
      {"duplicate host",
       [](auto& r) { r.mutable_tenant()->add_hosts("nl.agora.example"); },
       "tenant.hosts[1]:"},
      {"11 hosts",
       [](auto& r) {
         for (int i = 0; i < 10; ++i) {
           r.mutable_tenant()->add_hosts(absl::StrCat("h", i, ".example"));
         }
       },
       "tenant.hosts:"},
      {"201 reserved names",
       [](auto& r) {
         for (int i = 0; i < 200; ++i) {
           r.mutable_tenant()->add_reserved_display_names(
               absl::StrCat("name", i));
         }
       },
       "tenant.reserved_display_names:"},
      {"short reserved name",
       [](auto& r) { r.mutable_tenant()->add_reserved_display_names("x"); },
       "tenant.reserved_display_names[1]:"},
      {"long reserved name",
       [](auto& r) {
         r.mutable_tenant()->add_reserved_display_names(std::string(41, 'x'));
       },
       "tenant.reserved_display_names[1]:"},
      {"empty terms version",
       [](auto& r) { r.mutable_tenant()->set_terms_version(""); },
       "tenant.terms_version:"},
      {"long terms version",
       [](auto& r) {
         r.mutable_tenant()->set_terms_version(std::string(33, 'v'));
       },
       "tenant.terms_version:"},
      {"bad request id", [](auto& r) { r.set_request_id("not a request id!"); },
       "request_id:"},
  };
  for (const InvalidCase& c : cases) {
    v1::CreateTenantRequest request = CreateRequest("nl", ValidTenant());
    c.change(request);
    absl::StatusOr<v1::Tenant> created =
        CreateTenant(context(), platform_, request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.label;
    EXPECT_THAT(std::string(created.status().message()), StartsWith(c.field))
        << c.label;
  }
  EXPECT_EQ(Get("tenants/nl").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Query("SELECT count(*) FROM outbox"), "0");
}

TEST_F(TenantsTest, HostsAreUniqueAcrossTenants) {
  MustCreate("nl", ValidTenant());
  v1::Tenant belgium = ValidTenant();
  belgium.set_display_name("België");
  belgium.clear_hosts();
  belgium.add_hosts("be.agora.example");
  belgium.add_hosts("nl.agora.example");
  absl::StatusOr<v1::Tenant> refused =
      CreateTenant(context(), platform_, CreateRequest("be", belgium));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              StartsWith("tenant.hosts[1]:"));
  EXPECT_EQ(Get("tenants/be").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Query("SELECT count(*) FROM tenant_hosts WHERE tenant = 'be'"),
            "0");

  // Once nl lets the host go, another tenant may take it.
  v1::Tenant nl = *Get("tenants/nl");
  nl.clear_hosts();
  nl.add_hosts("www.agora.nl");
  ASSERT_TRUE(
      UpdateTenant(context(), platform_, UpdateRequest(nl, {"hosts"})).ok());
  EXPECT_TRUE(
      CreateTenant(context(), platform_, CreateRequest("be", belgium)).ok());
  EXPECT_EQ(Query("SELECT tenant FROM tenant_hosts WHERE host = $1",
                  std::string("nl.agora.example")),
            "be");
  EXPECT_EQ(Query("SELECT tenant FROM tenant_hosts WHERE host = $1",
                  std::string("www.agora.nl")),
            "nl");
}

TEST_F(TenantsTest, GetIsAnonymousAndNamesBadNames) {
  absl::StatusOr<v1::Tenant> fr = Get("tenants/fr");
  ASSERT_TRUE(fr.ok()) << fr.status();
  EXPECT_EQ(fr->default_language(), "fr");
  EXPECT_EQ(Get("tenants/zz").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<v1::Tenant> malformed = Get("fr");
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(malformed.status().message()), StartsWith("name:"));
}

TEST_F(TenantsTest, ListIsForPlatformAdminsAndIdentityReaders) {
  v1::ListTenantsRequest request;
  EXPECT_TRUE(ListTenants(context(), platform_, request).ok());
  // A service token of any tenant: the gateway resolves hosts with it.
  absl::StatusOr<v1::ListTenantsResponse> by_service =
      ListTenants(context(), Service("it", {"identity.read"}), request);
  ASSERT_TRUE(by_service.ok()) << by_service.status();
  EXPECT_EQ(by_service->tenants_size(), 2);
  EXPECT_EQ(ListTenants(context(), Service("it", {"content.read"}), request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      ListTenants(context(),
                  TenantAdmin("fr", "22222222-2222-2222-2222-222222222222"),
                  request)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(TenantsTest, ListPagesByIdWithOpaqueTokens) {
  for (const char* id : {"pl", "be", "nl", "de"}) {
    v1::Tenant tenant = ValidTenant();
    tenant.clear_hosts();
    MustCreate(id, tenant);
  }
  std::vector<std::string> names;
  v1::ListTenantsRequest request;
  request.set_page_size(2);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListTenantsResponse> page =
        ListTenants(context(), platform_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->tenants_size(), 2);
    for (const v1::Tenant& tenant : page->tenants()) {
      names.push_back(tenant.name());
    }
    request.set_page_token(page->next_page_token());
    ASSERT_LT(++pages, 10);
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(names, ElementsAre("tenants/be", "tenants/de", "tenants/fr",
                                 "tenants/it", "tenants/nl", "tenants/pl"));

  // Default page size 20 returns all six on one page, without a token.
  absl::StatusOr<v1::ListTenantsResponse> all =
      ListTenants(context(), platform_, v1::ListTenantsRequest());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->tenants_size(), 6);
  EXPECT_TRUE(all->next_page_token().empty());

  for (const std::string& token :
       {std::string("not base64!"), EncodePageToken("UPPER"),
        EncodePageToken("fr/../x")}) {
    v1::ListTenantsRequest bad;
    bad.set_page_token(token);
    absl::StatusOr<v1::ListTenantsResponse> refused =
        ListTenants(context(), platform_, bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << token;
    EXPECT_THAT(std::string(refused.status().message()),
                StartsWith("page_token:"));
  }
  v1::ListTenantsRequest negative;
  negative.set_page_size(-1);
  EXPECT_THAT(
      std::string(
          ListTenants(context(), platform_, negative).status().message()),
      StartsWith("page_size:"));
}

TEST_F(TenantsTest, UpdateAppliesTheMaskAndChecksTheEtag) {
  const v1::Tenant created = MustCreate("nl", ValidTenant());
  v1::Tenant change = created;
  change.set_display_name("Nederland & Vlaanderen");
  change.set_terms_version("2027-01");  // not in the mask
  absl::StatusOr<v1::Tenant> updated = UpdateTenant(
      context(), platform_, UpdateRequest(change, {"display_name"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Nederland & Vlaanderen");
  EXPECT_EQ(updated->terms_version(), "2026-01");
  EXPECT_NE(updated->etag(), created.etag());

  // The etag read before that update is stale now.
  change.set_display_name("Lost update");
  absl::StatusOr<v1::Tenant> stale = UpdateTenant(
      context(), platform_, UpdateRequest(change, {"display_name"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");
  EXPECT_EQ(Get("tenants/nl")->display_name(), "Nederland & Vlaanderen");

  // Without an etag the update applies to the current version.
  change.clear_etag();
  change.set_state(v1::Tenant::STATE_SUSPENDED);
  absl::StatusOr<v1::Tenant> suspended =
      UpdateTenant(context(), platform_, UpdateRequest(change, {"state"}));
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  EXPECT_EQ(suspended->state(), v1::Tenant::STATE_SUSPENDED);
  const std::vector<events::v1::Event> events = Events();
  ASSERT_EQ(events.size(), 3u);
  ASSERT_TRUE(events[2].has_tenant_updated());
  EXPECT_TRUE(events[2].tenant_updated().suspended());
  EXPECT_FALSE(events[1].tenant_updated().suspended());
  EXPECT_EQ(events[1].tenant_updated().display_name(),
            "Nederland & Vlaanderen");

  // "*" replaces every mutable field.
  v1::Tenant full = ValidTenant();
  full.set_name("tenants/nl");
  full.set_state(v1::Tenant::STATE_ACTIVE);
  full.set_time_zone("Europe/Brussels");
  absl::StatusOr<v1::Tenant> replaced =
      UpdateTenant(context(), platform_, UpdateRequest(full, {"*"}));
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->time_zone(), "Europe/Brussels");
  EXPECT_EQ(replaced->display_name(), "Nederland");
  EXPECT_EQ(replaced->state(), v1::Tenant::STATE_ACTIVE);
}

TEST_F(TenantsTest, UpdateNamesTheMaskAndTheMergedFields) {
  const v1::Tenant created = MustCreate("nl", ValidTenant());
  const std::vector<std::pair<std::vector<std::string>, std::string>> masks = {
      {{}, "update_mask:"},
      {{"create_time"}, "update_mask:"},
      {{"display_name", "colour"}, "update_mask:"},
      {{"name"}, "update_mask:"}};
  for (const auto& [paths, field] : masks) {
    absl::StatusOr<v1::Tenant> refused =
        UpdateTenant(context(), platform_, UpdateRequest(created, paths));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(refused.status().message()), StartsWith(field));
  }
  // The merged tenant is validated: nl removed from the allowed languages
  // while it stays the default.
  v1::Tenant change = created;
  change.clear_allowed_languages();
  change.add_allowed_languages("en");
  absl::StatusOr<v1::Tenant> refused = UpdateTenant(
      context(), platform_, UpdateRequest(change, {"allowed_languages"}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              StartsWith("tenant.default_language:"));
  change.set_time_zone("Nowhere/City");
  refused =
      UpdateTenant(context(), platform_, UpdateRequest(change, {"time_zone"}));
  EXPECT_THAT(std::string(refused.status().message()),
              StartsWith("tenant.time_zone:"));
  change.set_name("tenants/zz");
  EXPECT_EQ(UpdateTenant(context(), platform_,
                         UpdateRequest(change, {"display_name"}))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  change.set_name("nl");
  refused = UpdateTenant(context(), platform_,
                         UpdateRequest(change, {"display_name"}));
  EXPECT_THAT(std::string(refused.status().message()),
              StartsWith("tenant.name:"));
  EXPECT_EQ(Get("tenants/nl")->etag(), created.etag());
}

TEST_F(TenantsTest, RetriesWithTheSameRequestIdChangeNothingTwice) {
  v1::CreateTenantRequest create = CreateRequest("nl", ValidTenant());
  create.set_request_id("0d5c6f2e-7a57-4b0c-9a5e-1b0cfa9a0001");
  absl::StatusOr<v1::Tenant> first = CreateTenant(context(), platform_, create);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Tenant> retry = CreateTenant(context(), platform_, create);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), first->etag());
  // Without the request id the same request is a conflict.
  create.clear_request_id();
  EXPECT_EQ(CreateTenant(context(), platform_, create).status().code(),
            absl::StatusCode::kAlreadyExists);

  v1::Tenant change = *first;
  change.set_display_name("Holland");
  v1::UpdateTenantRequest update = UpdateRequest(change, {"display_name"});
  update.set_request_id("0d5c6f2e-7a57-4b0c-9a5e-1b0cfa9a0002");
  absl::StatusOr<v1::Tenant> updated =
      UpdateTenant(context(), platform_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  // The retry carries the now stale etag: it still gets the first answer.
  absl::StatusOr<v1::Tenant> again = UpdateTenant(context(), platform_, update);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), updated->etag());
  EXPECT_EQ(Query("SELECT version FROM tenants WHERE id = 'nl'"), "2");
  EXPECT_EQ(Query("SELECT count(*) FROM outbox"), "2");
}

TEST_F(TenantsTest, JwksPublishesTheCurrentKeyFirst) {
  absl::StatusOr<v1::Jwks> jwks =
      GetJwks(context(), nullptr, CallInfo{}, v1::GetJwksRequest());
  ASSERT_TRUE(jwks.ok()) << jwks.status();
  ASSERT_EQ(jwks->keys_size(), 1);
  EXPECT_EQ(jwks->keys(0).kid(), keys_->CurrentKeyId());
  EXPECT_EQ(jwks->keys(0).kty(), "OKP");
  EXPECT_EQ(jwks->keys(0).crv(), "Ed25519");
  EXPECT_EQ(jwks->keys(0).alg(), "EdDSA");
  EXPECT_EQ(jwks->keys(0).use(), "sig");
  EXPECT_EQ(jwks->keys(0).x().size(), 43u);
  const std::string first_kid = jwks->keys(0).kid();

  // After a rotation the new key leads and the retired one stays published.
  ASSERT_TRUE(keys_->Rotate().ok());
  jwks = GetJwks(context(), nullptr, CallInfo{}, v1::GetJwksRequest());
  ASSERT_TRUE(jwks.ok()) << jwks.status();
  ASSERT_EQ(jwks->keys_size(), 2);
  EXPECT_EQ(jwks->keys(0).kid(), keys_->CurrentKeyId());
  EXPECT_NE(jwks->keys(0).kid(), first_kid);
  EXPECT_EQ(jwks->keys(1).kid(), first_kid);
}

}  // namespace
}  // namespace agora::identity
