#include "services/identity/oidc/profile_claims.h"

#include <nlohmann/json.hpp>

namespace agora::identity::oidc {
namespace {

std::string BoundedString(const nlohmann::json& claims, const char* name,
                          size_t max_bytes) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_string()) return {};
  const auto& value = it->get_ref<const std::string&>();
  return value.size() <= max_bytes ? value : std::string();
}

}  // namespace

ExternalUser ProfileFromClaims(const nlohmann::json& claims) {
  ExternalUser user;
  if (!claims.is_object()) return user;
  user.email = BoundedString(claims, "email", 320);
  user.name = BoundedString(claims, "name", 256);
  user.locale = BoundedString(claims, "locale", 35);
  if (const auto verified = claims.find("email_verified");
      verified != claims.end()) {
    user.email_verified = (verified->is_boolean() && verified->get<bool>()) ||
                          (verified->is_string() && *verified == "true");
  }
  return user;
}

}  // namespace agora::identity::oidc
