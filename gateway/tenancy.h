// Which tenant a request acts in, and which browser origins a tenant lets
// call the API (CORS). A tenant comes from the host name (an explicit host
// list, or the first label under a configured suffix) or from the
// "tenants/{tenant}" a path variable names; when both are there they must
// agree.
#ifndef AGORA_GATEWAY_TENANCY_H_
#define AGORA_GATEWAY_TENANCY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"

namespace agora::gateway {

class TenantHosts {
 public:
  // `hosts`: "fr.agora.example=fr,community.bank.example=fr"; `suffix`:
  // ".agora.example" (then "de.agora.example" is tenant "de").
  static absl::StatusOr<TenantHosts> Parse(absl::string_view hosts,
                                           absl::string_view suffix);

  // The tenant of a Host header value ("" when the host names none). The
  // port is ignored, the name compared in lower case.
  std::string TenantOf(absl::string_view host_header) const;

 private:
  absl::flat_hash_map<std::string, std::string> hosts_;
  std::string suffix_;
};

// The tenant id named by the first path variable whose value is
// "tenants/{tenant}..." ("" when none).
std::string TenantOfBindings(const std::vector<PathBinding>& bindings);

// A valid tenant id: 1-63 of [a-z0-9-].
bool IsTenantId(absl::string_view tenant);

class CorsPolicy {
 public:
  // "fr=https://fr.example|https://app.example,*=https://admin.example":
  // origins per tenant, "*" for every tenant.
  static absl::StatusOr<CorsPolicy> Parse(absl::string_view spec);

  // Whether a page of `origin` may call the API of `tenant`.
  bool Allows(absl::string_view tenant, absl::string_view origin) const;

 private:
  absl::flat_hash_map<std::string, std::vector<std::string>> origins_;
};

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_TENANCY_H_
