#include "libs/auth/principal.h"

#include "gtest/gtest.h"
#include "libs/auth/roles.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

Principal MemberOf(std::string tenant, std::vector<std::string> roles) {
  Principal principal;
  principal.subject = "member-42";
  principal.tenant = std::move(tenant);
  principal.roles = std::move(roles);
  return principal;
}

TEST(PrincipalTest, HasRoleAndScopeMatchExactly) {
  Principal principal = MemberOf("fr", {"member", "moderator"});
  principal.scopes = {"content.read"};
  EXPECT_TRUE(principal.HasRole(kRoleModerator));
  EXPECT_FALSE(principal.HasRole("Moderator"));
  EXPECT_FALSE(principal.HasRole("moderat"));
  EXPECT_FALSE(principal.HasRole(kRoleTenantAdmin));
  EXPECT_TRUE(principal.HasScope("content.read"));
  EXPECT_FALSE(principal.HasScope("content.write"));
  EXPECT_FALSE(principal.HasScope("content"));
}

TEST(PrincipalTest, FromClaimsCopiesTheIdentity) {
  Claims claims = auth_test::MemberClaims(absl::FromUnixSeconds(0));
  claims.roles = {"member", "staff"};
  claims.scopes = {"content.read"};
  claims.trust_level = kTrustLevelLeader;
  absl::StatusOr<Principal> principal = PrincipalFromClaims(claims);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "member-42");
  EXPECT_EQ(principal->tenant, "fr");
  EXPECT_EQ(principal->roles, claims.roles);
  EXPECT_EQ(principal->scopes, claims.scopes);
  EXPECT_EQ(principal->trust_level, kTrustLevelLeader);
  EXPECT_FALSE(principal->is_service_account);
}

TEST(PrincipalTest, ServiceRoleMarksAServiceAccount) {
  Claims claims = auth_test::MemberClaims(absl::FromUnixSeconds(0));
  claims.subject = "sa-core-banking";
  claims.roles = {kRoleService};
  claims.scopes = {"content.write"};
  absl::StatusOr<Principal> principal = PrincipalFromClaims(claims);
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->is_service_account);
  EXPECT_TRUE(principal->HasScope("content.write"));
}

TEST(PrincipalTest, FromClaimsRequiresSubjectAndTenant) {
  Claims claims = auth_test::MemberClaims(absl::FromUnixSeconds(0));
  claims.tenant.clear();
  EXPECT_EQ(PrincipalFromClaims(claims).status().code(),
            absl::StatusCode::kUnauthenticated);
  claims = auth_test::MemberClaims(absl::FromUnixSeconds(0));
  claims.subject.clear();
  EXPECT_EQ(PrincipalFromClaims(claims).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(RequireTenantTest, OwnTenantOnly) {
  const Principal member = MemberOf("fr", {kRoleMember});
  EXPECT_TRUE(RequireTenant(member, "fr").ok());
  EXPECT_EQ(RequireTenant(member, "it").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireTenant(member, "FR").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireTenant(member, "").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RequireTenantTest, TenantAdminCannotCrossTenants) {
  const Principal admin = MemberOf("fr", {kRoleTenantAdmin, kRoleModerator});
  EXPECT_TRUE(RequireTenant(admin, "fr").ok());
  EXPECT_EQ(RequireTenant(admin, "pl").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RequireTenantTest, PlatformAdminActsInAnyTenant) {
  const Principal admin = MemberOf("fr", {kRolePlatformAdmin});
  EXPECT_TRUE(RequireTenant(admin, "fr").ok());
  EXPECT_TRUE(RequireTenant(admin, "it").ok());
  EXPECT_TRUE(RequireTenant(admin, "nl").ok());
  // But a request must still name a tenant.
  EXPECT_EQ(RequireTenant(admin, "").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RequireRoleTest, AnyOfTheListedRoles) {
  const Principal moderator = MemberOf("fr", {kRoleMember, kRoleModerator});
  EXPECT_TRUE(RequireRole(moderator, {kRoleModerator}).ok());
  EXPECT_TRUE(RequireRole(moderator, {kRoleTenantAdmin, kRoleModerator}).ok());
  absl::Status denied = RequireRole(moderator, {kRoleTenantAdmin, kRoleJury});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "requires role tenant_admin or jury");
}

TEST(RequireRoleTest, EmptyListDeniesAndNoRoleImpliesAnother) {
  EXPECT_EQ(RequireRole(MemberOf("fr", {kRoleMember}), {}).code(),
            absl::StatusCode::kPermissionDenied);
  // A platform admin is not implicitly a moderator.
  EXPECT_EQ(RequireRole(MemberOf("fr", {kRolePlatformAdmin}), {kRoleModerator})
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireRole(MemberOf("fr", {}), {kRoleMember}).code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace agora::auth
