// Granting and revoking roles, their audit records and events, and the roles
// reaching access tokens, through the domain on real PostgreSQL and Redis.
#include "services/identity/domain/roles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agora/events/v1/events.pb.h"
#include "libs/auth/roles.h"
#include "services/identity/domain/sessions.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPassword[] = "correct horse battery";

class RolesTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure()) return;
    admin_id_ = InsertMember("fr", "admin@example.fr", kPassword, "Admin Fr",
                             {auth::kRoleTenantAdmin});
    alice_id_ = InsertMember("fr", "alice@example.fr", kPassword, "Alice");
    alice_ = absl::StrCat("tenants/fr/members/", alice_id_);
    admin_ = TenantAdmin("fr", admin_id_);
  }

  absl::StatusOr<v1::Member> Grant(const auth::Principal& caller,
                                   const std::string& name,
                                   common::v1::Role role,
                                   const std::string& reason = "",
                                   const std::string& request_id = "") {
    v1::GrantRoleRequest request;
    request.set_name(name);
    request.set_role(role);
    request.set_reason(reason);
    request.set_request_id(request_id);
    return GrantRole(context(), caller, request);
  }

  absl::StatusOr<v1::Member> Revoke(const auth::Principal& caller,
                                    const std::string& name,
                                    common::v1::Role role,
                                    const std::string& reason = "") {
    v1::RevokeRoleRequest request;
    request.set_name(name);
    request.set_role(role);
    request.set_reason(reason);
    return RevokeRole(context(), caller, request);
  }

  std::vector<v1::RoleChange> Changes(const std::string& member = "") {
    v1::ListRoleChangesRequest request;
    request.set_parent("tenants/fr");
    request.set_member(member);
    request.set_page_size(100);
    absl::StatusOr<v1::ListRoleChangesResponse> response =
        ListRoleChanges(context(), admin_, request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    return {response->role_changes().begin(), response->role_changes().end()};
  }

  // The role_changed events in the outbox, oldest first.
  std::vector<events::v1::Event> RoleEvents() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  for (const pqxx::row& row :
                       tx.exec("SELECT payload FROM outbox WHERE event_type ="
                               " 'role_changed' ORDER BY id")) {
                    events::v1::Event event;
                    event.ParseFromString(pqxx::binarystring(row[0]).str());
                    events.push_back(event);
                  }
                  return absl::OkStatus();
                }).ok());
    return events;
  }

  std::vector<std::string> HeldRoles(const std::string& id) {
    std::vector<std::string> roles;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  for (const pqxx::row& row : tx.exec_params(
                           "SELECT role FROM member_roles WHERE member = "
                           "$1::uuid ORDER BY role",
                           id)) {
                    roles.push_back(row[0].as<std::string>());
                  }
                  return absl::OkStatus();
                }).ok());
    return roles;
  }

  std::string RecordCount() {
    return Query("SELECT count(*) FROM role_changes");
  }

  std::string admin_id_;
  std::string alice_id_;
  std::string alice_;
  auth::Principal admin_;
};

TEST_F(RolesTest, TenantAdminGrantIsHeldRecordedAndAnnounced) {
  const absl::Time before = absl::Now();
  absl::StatusOr<v1::Member> granted =
      Grant(admin_, alice_, common::v1::ROLE_STAFF, "joins customer care");
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_THAT(granted->roles(),
              ElementsAre(common::v1::ROLE_MEMBER, common::v1::ROLE_STAFF));
  EXPECT_THAT(HeldRoles(alice_id_), ElementsAre("staff"));

  const std::vector<v1::RoleChange> changes = Changes();
  ASSERT_EQ(changes.size(), 1u);
  const v1::RoleChange& change = changes[0];
  EXPECT_THAT(change.name(), StartsWith("tenants/fr/roleChanges/"));
  EXPECT_EQ(change.member(), alice_);
  EXPECT_EQ(change.role(), common::v1::ROLE_STAFF);
  EXPECT_EQ(change.change(), v1::RoleChange::CHANGE_GRANTED);
  EXPECT_EQ(change.actor().type(), common::v1::ACTOR_TYPE_MEMBER);
  EXPECT_EQ(change.actor().name(),
            absl::StrCat("tenants/fr/members/", admin_id_));
  EXPECT_EQ(change.reason(), "joins customer care");
  // The database's clock stamps the record: a loose window around the call.
  const absl::Time when = absl::FromUnixSeconds(change.create_time().seconds());
  EXPECT_GE(when, before - absl::Minutes(1));
  EXPECT_LE(when, absl::Now() + absl::Minutes(1));

  const std::vector<events::v1::Event> events = RoleEvents();
  ASSERT_EQ(events.size(), 1u);
  const events::v1::Event& event = events[0];
  EXPECT_EQ(event.tenant(), "tenants/fr");
  EXPECT_EQ(event.producer(), events::v1::PRODUCER_IDENTITY);
  EXPECT_EQ(event.subject(), alice_);
  EXPECT_EQ(event.actor().name(), change.actor().name());
  ASSERT_TRUE(event.has_role_changed());
  EXPECT_EQ(event.role_changed().member(), alice_);
  EXPECT_EQ(event.role_changed().role(), common::v1::ROLE_STAFF);
  EXPECT_TRUE(event.role_changed().granted());
  EXPECT_THAT(event.role_changed().roles(),
              ElementsAre(common::v1::ROLE_MEMBER, common::v1::ROLE_STAFF));
  EXPECT_EQ(event.role_changed().reason(), "joins customer care");
  // The event points at the audit record it announces.
  EXPECT_EQ(event.role_changed().role_change(), change.name());
}

TEST_F(RolesTest, TenantAdminRevokeIsRecordedAndAnnounced) {
  ASSERT_TRUE(Grant(admin_, alice_, common::v1::ROLE_MODERATOR).ok());
  ASSERT_TRUE(Grant(admin_, alice_, common::v1::ROLE_JURY).ok());
  absl::StatusOr<v1::Member> revoked =
      Revoke(admin_, alice_, common::v1::ROLE_MODERATOR, "term ended");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_THAT(revoked->roles(),
              ElementsAre(common::v1::ROLE_MEMBER, common::v1::ROLE_JURY));
  EXPECT_THAT(HeldRoles(alice_id_), ElementsAre("jury"));

  const std::vector<v1::RoleChange> changes = Changes(alice_);
  ASSERT_EQ(changes.size(), 3u);
  // Newest first.
  EXPECT_EQ(changes[0].role(), common::v1::ROLE_MODERATOR);
  EXPECT_EQ(changes[0].change(), v1::RoleChange::CHANGE_REVOKED);
  EXPECT_EQ(changes[0].reason(), "term ended");
  EXPECT_EQ(changes[0].actor().name(),
            absl::StrCat("tenants/fr/members/", admin_id_));

  const std::vector<events::v1::Event> events = RoleEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_FALSE(events[2].role_changed().granted());
  EXPECT_EQ(events[2].role_changed().role(), common::v1::ROLE_MODERATOR);
  EXPECT_THAT(events[2].role_changed().roles(),
              ElementsAre(common::v1::ROLE_MEMBER, common::v1::ROLE_JURY));
  EXPECT_EQ(events[2].role_changed().role_change(), changes[0].name());
}

TEST_F(RolesTest, MembersModeratorsAndStaffCannotGrantOrRevoke) {
  ASSERT_TRUE(Grant(admin_, alice_, common::v1::ROLE_JURY).ok());
  const std::string bob_id =
      InsertMember("fr", "bob@example.fr", kPassword, "Bob");
  for (const auth::Principal& caller :
       {Member("fr", bob_id), Moderator("fr", bob_id),
        WithRole(Member("fr", bob_id), auth::kRoleStaff),
        Service("fr", {"identity.read", "identity.write"})}) {
    EXPECT_EQ(Grant(caller, alice_, common::v1::ROLE_STAFF).status().code(),
              absl::StatusCode::kPermissionDenied)
        << caller.roles.back();
    EXPECT_EQ(Revoke(caller, alice_, common::v1::ROLE_JURY).status().code(),
              absl::StatusCode::kPermissionDenied)
        << caller.roles.back();
  }
  // Nor on themselves.
  EXPECT_EQ(Grant(Member("fr", alice_id_), alice_, common::v1::ROLE_MODERATOR)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(HeldRoles(alice_id_), ElementsAre("jury"));
  EXPECT_EQ(RecordCount(), "1");
  EXPECT_EQ(RoleEvents().size(), 1u);
}

TEST_F(RolesTest, TenantAdminOfAnotherTenantCannotGrant) {
  const std::string italian_admin = InsertMember(
      "it", "admin@example.it", kPassword, "Admin It", {"tenant_admin"});
  const auth::Principal caller = TenantAdmin("it", italian_admin);
  EXPECT_EQ(Grant(caller, alice_, common::v1::ROLE_STAFF).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Grant(caller, alice_, common::v1::ROLE_TENANT_ADMIN).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(HeldRoles(alice_id_).empty());
  EXPECT_EQ(RecordCount(), "0");
  EXPECT_TRUE(RoleEvents().empty());
}

TEST_F(RolesTest, OwnTenantNameDoesNotReachAnotherTenantsMember) {
  // An admin of fr naming an Italian member under tenants/fr finds nobody:
  // ids alone never cross tenants.
  const std::string luca =
      InsertMember("it", "luca@example.it", kPassword, "Luca");
  EXPECT_EQ(Grant(admin_, absl::StrCat("tenants/fr/members/", luca),
                  common::v1::ROLE_STAFF)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(HeldRoles(luca).empty());
  EXPECT_EQ(RecordCount(), "0");
}

TEST_F(RolesTest, PlatformAdminRoleIsOnlyForPlatformAdmins) {
  EXPECT_EQ(
      Grant(admin_, alice_, common::v1::ROLE_PLATFORM_ADMIN).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RecordCount(), "0");

  const std::string root_id = InsertMember("fr", "root@example.fr", kPassword,
                                           "Root", {"platform_admin"});
  const auth::Principal platform = PlatformAdmin(root_id);
  absl::StatusOr<v1::Member> granted =
      Grant(platform, alice_, common::v1::ROLE_PLATFORM_ADMIN, "on call");
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_THAT(granted->roles(), Contains(common::v1::ROLE_PLATFORM_ADMIN));

  // A tenant admin cannot take it away either.
  EXPECT_EQ(
      Revoke(admin_, alice_, common::v1::ROLE_PLATFORM_ADMIN).status().code(),
      absl::StatusCode::kPermissionDenied);
  // A platform admin cannot drop their own: the platform keeps an admin.
  EXPECT_EQ(Revoke(platform, absl::StrCat("tenants/fr/members/", root_id),
                   common::v1::ROLE_PLATFORM_ADMIN)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(HeldRoles(alice_id_), ElementsAre("platform_admin"));
  EXPECT_EQ(RecordCount(), "1");

  // Platform admins also manage other roles in any tenant.
  const std::string luca =
      InsertMember("it", "luca@example.it", kPassword, "Luca");
  EXPECT_TRUE(Grant(platform, absl::StrCat("tenants/it/members/", luca),
                    common::v1::ROLE_STAFF)
                  .ok());
}

TEST_F(RolesTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    std::string name;
    int role;
    std::string reason;
    std::string request_id;
    std::string field;
  };
  const std::vector<Case> cases = {
      {alice_, common::v1::ROLE_UNSPECIFIED, "", "", "role:"},
      {alice_, common::v1::ROLE_MEMBER, "", "", "role:"},
      {alice_, common::v1::ROLE_SERVICE, "", "", "role:"},
      {alice_, 99, "", "", "role:"},
      {"", common::v1::ROLE_STAFF, "", "", "name:"},
      {absl::StrCat("members/", alice_id_), common::v1::ROLE_STAFF, "", "",
       "name:"},
      {"tenants/fr/members/alice", common::v1::ROLE_STAFF, "", "", "name:"},
      {absl::StrCat("tenants/FR/members/", alice_id_), common::v1::ROLE_STAFF,
       "", "", "name:"},
      {alice_, common::v1::ROLE_STAFF, std::string(501, 'x'), "", "reason:"},
      {alice_, common::v1::ROLE_STAFF, "", "not a request id!", "request_id:"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::Member> granted =
        Grant(admin_, c.name, static_cast<common::v1::Role>(c.role), c.reason,
              c.request_id);
    EXPECT_EQ(granted.status().code(), absl::StatusCode::kInvalidArgument)
        << c.field << " " << c.name;
    EXPECT_THAT(std::string(granted.status().message()), StartsWith(c.field))
        << c.name;
    absl::StatusOr<v1::Member> revoked =
        Revoke(admin_, c.name, static_cast<common::v1::Role>(c.role), c.reason);
    if (c.field != "request_id:") {
      EXPECT_THAT(std::string(revoked.status().message()), StartsWith(c.field))
          << c.name;
    }
  }
  EXPECT_TRUE(HeldRoles(alice_id_).empty());
  EXPECT_EQ(RecordCount(), "0");
  EXPECT_TRUE(RoleEvents().empty());
}

TEST_F(RolesTest, GrantingAHeldRoleOrRetryingChangesNothingMore) {
  const std::string request_id = "3f2a7c1e-5b4d-4e8f-9a6b-1c2d3e4f5a6b";
  absl::StatusOr<v1::Member> first =
      Grant(admin_, alice_, common::v1::ROLE_STAFF, "hired", request_id);
  ASSERT_TRUE(first.ok()) << first.status();
  // The retry of the same request, and a fresh request for a held role.
  absl::StatusOr<v1::Member> retry =
      Grant(admin_, alice_, common::v1::ROLE_STAFF, "hired", request_id);
  ASSERT_TRUE(retry.ok()) << retry.status();
  absl::StatusOr<v1::Member> again =
      Grant(admin_, alice_, common::v1::ROLE_STAFF, "hired twice");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(again->roles(),
              ElementsAre(common::v1::ROLE_MEMBER, common::v1::ROLE_STAFF));
  EXPECT_EQ(again->etag(), first->etag());
  EXPECT_THAT(HeldRoles(alice_id_), ElementsAre("staff"));
  EXPECT_EQ(RecordCount(), "1");
  EXPECT_EQ(RoleEvents().size(), 1u);

  // Revoking a role not held records nothing either.
  ASSERT_TRUE(Revoke(admin_, alice_, common::v1::ROLE_JURY).ok());
  EXPECT_EQ(RecordCount(), "1");
  EXPECT_EQ(RoleEvents().size(), 1u);
}

TEST_F(RolesTest, NewRolesReachTheNextAccessToken) {
  const CallInfo call{"203.0.113.9"};
  v1::LoginRequest login;
  login.set_tenant("tenants/fr");
  login.set_email("alice@example.fr");
  login.set_password(kPassword);
  absl::StatusOr<v1::Session> session = Login(context(), nullptr, call, login);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<auth::Claims> claims =
      verifier().Verify(session->access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_THAT(claims->roles, ElementsAre("member"));

  ASSERT_TRUE(Grant(admin_, alice_, common::v1::ROLE_MODERATOR).ok());
  v1::RefreshSessionRequest refresh;
  refresh.set_tenant("tenants/fr");
  refresh.set_refresh_token(session->refresh_token());
  absl::StatusOr<v1::Session> refreshed =
      RefreshSession(context(), nullptr, call, refresh);
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  claims = verifier().Verify(refreshed->access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, alice_id_);
  EXPECT_THAT(claims->roles, ElementsAre("member", "moderator"));

  // A revocation leaves the next token too.
  ASSERT_TRUE(Revoke(admin_, alice_, common::v1::ROLE_MODERATOR).ok());
  refresh.set_refresh_token(refreshed->refresh_token());
  refreshed = RefreshSession(context(), nullptr, call, refresh);
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  claims = verifier().Verify(refreshed->access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_THAT(claims->roles, Not(Contains("moderator")));
}

TEST_F(RolesTest, RoleChangesAreListedToTenantAdminsOnly) {
  const std::string bob_id =
      InsertMember("fr", "bob@example.fr", kPassword, "Bob");
  ASSERT_TRUE(Grant(admin_, alice_, common::v1::ROLE_STAFF).ok());
  ASSERT_TRUE(Grant(admin_, absl::StrCat("tenants/fr/members/", bob_id),
                    common::v1::ROLE_JURY)
                  .ok());
  ASSERT_TRUE(Revoke(admin_, alice_, common::v1::ROLE_STAFF).ok());

  v1::ListRoleChangesRequest request;
  request.set_parent("tenants/fr");
  const std::string italian_admin = InsertMember(
      "it", "admin@example.it", kPassword, "Admin It", {"tenant_admin"});
  for (const auth::Principal& caller :
       {Member("fr", alice_id_), Moderator("fr", bob_id),
        TenantAdmin("it", italian_admin)}) {
    EXPECT_EQ(ListRoleChanges(context(), caller, request).status().code(),
              absl::StatusCode::kPermissionDenied);
  }

  // Pages of one, newest first, filtered by member.
  request.set_member(alice_);
  request.set_page_size(1);
  std::vector<v1::RoleChange::Change> seen;
  for (int pages = 0; pages < 5; ++pages) {
    absl::StatusOr<v1::ListRoleChangesResponse> page =
        ListRoleChanges(context(), admin_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::RoleChange& change : page->role_changes()) {
      EXPECT_EQ(change.member(), alice_);
      seen.push_back(change.change());
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre(v1::RoleChange::CHANGE_REVOKED,
                                v1::RoleChange::CHANGE_GRANTED));
  EXPECT_EQ(Changes().size(), 3u);

  // A member of another tenant is refused by name, not silently ignored.
  v1::ListRoleChangesRequest foreign;
  foreign.set_parent("tenants/fr");
  foreign.set_member(absl::StrCat("tenants/it/members/", italian_admin));
  absl::StatusOr<v1::ListRoleChangesResponse> refused =
      ListRoleChanges(context(), admin_, foreign);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), StartsWith("member:"));
}

TEST_F(RolesTest, ErasedMembersGetNoRoles) {
  Exec("UPDATE members SET state = 4 WHERE id = $1::uuid", alice_id_);
  EXPECT_EQ(Grant(admin_, alice_, common::v1::ROLE_STAFF).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(HeldRoles(alice_id_).empty());
  EXPECT_EQ(RecordCount(), "0");
}

}  // namespace
}  // namespace agora::identity
