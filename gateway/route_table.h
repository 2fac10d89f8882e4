// The REST routes of the gateway, built at start-up from the
// google.api.http annotations of the services in a descriptor pool (the
// primary binding and every additional_binding), and the lookup of a route
// for a request. Nothing here knows any Agora service: a new annotated RPC
// becomes a route by being in the descriptor set.
#ifndef AGORA_GATEWAY_ROUTE_TABLE_H_
#define AGORA_GATEWAY_ROUTE_TABLE_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/message.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"

namespace agora::gateway {

struct Route {
  std::string http_method;  // "GET", "POST", "PATCH", "DELETE", "PUT", custom
  PathTemplate path;
  // "" (no body), "*" (the whole request message) or a top-level field.
  std::string body;
  // "" (the whole response) or a top-level message field of the response.
  std::string response_body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // "/agora.identity.v1.IdentityService/GetMember": the gRPC method path.
  std::string grpc_path;
  // 0 for the primary binding, 1... for additional_bindings in order.
  int binding_index = 0;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
};

class RouteTable {
 public:
  // Routes of every method of the services `serve` accepts (by full name).
  // A method without annotation gets no route. INVALID_ARGUMENT for a bad
  // annotation (bad template, body naming an unknown field), naming the
  // method: a broken contract stops the gateway at start-up rather than
  // silently losing a route.
  static absl::StatusOr<RouteTable> Build(
      const google::protobuf::DescriptorPool& pool,
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // The route for `method` and `path` (no query string): NOT_FOUND when no
  // template matches; FAILED_PRECONDITION when one matches for other methods
  // only (the caller answers 405); INVALID_ARGUMENT for a bad encoding in a
  // path variable. When several templates match, the most specific wins.
  absl::StatusOr<RouteMatch> Find(absl::string_view method,
                                  absl::string_view path) const;

  // The methods with a template matching `path`, for Allow and CORS.
  std::vector<std::string> AllowedMethods(absl::string_view path) const;

  // The route of an RPC's primary binding ("agora.identity.v1.
  // IdentityService.GetJwks"), or nullptr.
  const Route* ForMethod(absl::string_view method_full_name) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  // Per HTTP method, most specific first.
  std::map<std::string, std::vector<const Route*>, std::less<>> by_method_;
};

// The services of `pool` whose full name is `prefix` or starts with
// "<prefix>." ("agora.identity.v1" or "agora.identity.v1.IdentityService").
std::vector<const google::protobuf::ServiceDescriptor*> ServicesWithPrefix(
    const google::protobuf::DescriptorPool& pool,
    const google::protobuf::FileDescriptorSet& files, absl::string_view prefix);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_ROUTE_TABLE_H_
