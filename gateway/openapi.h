// The OpenAPI 3.0 document of the routes the gateway serves, generated from
// the same descriptors and annotations: one operation per binding, path
// parameters from the template variables, query parameters from the
// request's other scalar fields (methods without a body), the request body
// and the response as schemas of the messages, descriptions from the
// proto comments (source info of the descriptor set).
#ifndef AGORA_GATEWAY_OPENAPI_H_
#define AGORA_GATEWAY_OPENAPI_H_

#include <nlohmann/json.hpp>
#include <string>

#include "gateway/route_table.h"

namespace agora::gateway {

// "/v1/{name=tenants/*/members/*}:suspend" ->
// "/v1/tenants/{tenant}/members/{member}:suspend", with the parameter names
// in order (a wildcard is named after the collection before it).
struct OpenApiPath {
  std::string path;
  std::vector<std::string> parameters;
};
OpenApiPath ToOpenApiPath(const PathTemplate& path);

nlohmann::json OpenApiDocument(const RouteTable& routes,
                               const std::string& title,
                               const std::string& version);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_OPENAPI_H_
