// Role names as they travel in the "roles" claim. Roles are granted per
// tenant, except platform_admin, which spans tenants.
#ifndef AGORA_LIBS_AUTH_ROLES_H_
#define AGORA_LIBS_AUTH_ROLES_H_

namespace agora::auth {

inline constexpr char kRoleMember[] = "member";
inline constexpr char kRoleTrustedMember[] = "trusted_member";
// A bank employee; badged on everything they write.
inline constexpr char kRoleStaff[] = "staff";
inline constexpr char kRoleModerator[] = "moderator";
inline constexpr char kRoleTenantAdmin[] = "tenant_admin";
// May act in every tenant (RequireTenant lets it through).
inline constexpr char kRolePlatformAdmin[] = "platform_admin";
inline constexpr char kRoleJury[] = "jury";
// A bank system calling through a service account.
inline constexpr char kRoleService[] = "service";

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_ROLES_H_
