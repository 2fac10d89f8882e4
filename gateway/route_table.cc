#include "gateway/route_table.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace agora::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// Resolves "a.b.c" against `type`; nullptr when a component is unknown or a
// non-final component is not a singular message.
const FieldDescriptor* ResolveFieldPath(const Descriptor* type,
                                        absl::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    if (type == nullptr) return nullptr;
    field = type->FindFieldByName(std::string(name));
    if (field == nullptr) return nullptr;
    type =
        field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_repeated()
            ? field->message_type()
            : nullptr;
  }
  return field;
}

absl::Status AddRule(const MethodDescriptor* method,
                     const google::api::HttpRule& rule, int index,
                     std::vector<std::unique_ptr<Route>>& routes) {
  auto route = std::make_unique<Route>();
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route->http_method = "GET";
      path = rule.get();
      break;
    case google::api::HttpRule::kPut:
      route->http_method = "PUT";
      path = rule.put();
      break;
    case google::api::HttpRule::kPost:
      route->http_method = "POST";
      path = rule.post();
      break;
    case google::api::HttpRule::kDelete:
      route->http_method = "DELETE";
      path = rule.delete_();
      break;
    case google::api::HttpRule::kPatch:
      route->http_method = "PATCH";
      path = rule.patch();
      break;
    case google::api::HttpRule::kCustom:
      route->http_method = rule.custom().kind();
      path = rule.custom().path();
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": http rule without a pattern"));
  }
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": ", parsed.status().message()));
  }
  route->path = *std::move(parsed);
  for (const PathTemplate::Variable& variable : route->path.variables()) {
    const FieldDescriptor* field =
        ResolveFieldPath(method->input_type(), variable.field_path);
    if (field == nullptr || field->is_repeated() ||
        field->type() == FieldDescriptor::TYPE_MESSAGE) {
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": path variable ",
                       variable.field_path, " is not a scalar field"));
    }
  }
  route->body = rule.body();
  if (!route->body.empty() && route->body != "*" &&
      method->input_type()->FindFieldByName(route->body) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        method->full_name(), ": body names unknown field ", route->body));
  }
  route->response_body = rule.response_body();
  if (!route->response_body.empty()) {
    const FieldDescriptor* field =
        method->output_type()->FindFieldByName(route->response_body);
    if (field == nullptr || field->is_repeated() ||
        field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(),
                       ": response_body must name a singular message field"));
    }
  }
  route->method = method;
  route->grpc_path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  route->binding_index = index;
  routes.push_back(std::move(route));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouteTable> RouteTable::Build(
    const google::protobuf::DescriptorPool& pool,
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  RouteTable table;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor* method = service->method(m);
      if (method->client_streaming() || method->server_streaming()) continue;
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule =
          method->options().GetExtension(google::api::http);
      int index = 0;
      if (absl::Status added = AddRule(method, rule, index++, table.routes_);
          !added.ok()) {
        return added;
      }
      for (const google::api::HttpRule& extra : rule.additional_bindings()) {
        if (absl::Status added = AddRule(method, extra, index++, table.routes_);
            !added.ok()) {
          return added;
        }
      }
    }
  }
  for (const std::unique_ptr<Route>& route : table.routes_) {
    table.by_method_[route->http_method].push_back(route.get());
  }
  for (auto& [method, routes] : table.by_method_) {
    std::stable_sort(routes.begin(), routes.end(),
                     [](const Route* a, const Route* b) {
                       return a->path.Specificity() > b->path.Specificity();
                     });
  }
  return table;
}

absl::StatusOr<RouteMatch> RouteTable::Find(absl::string_view method,
                                            absl::string_view path) const {
  auto it = by_method_.find(method);
  if (it != by_method_.end()) {
    for (const Route* route : it->second) {
      absl::StatusOr<std::optional<std::vector<PathBinding>>> bindings =
          route->path.Match(path);
      if (!bindings.ok()) return bindings.status();
      if (bindings->has_value()) {
        return RouteMatch{route, **std::move(bindings)};
      }
    }
  }
  if (!AllowedMethods(path).empty()) {
    return absl::FailedPreconditionError("method not allowed");
  }
  return absl::NotFoundError("no route");
}

std::vector<std::string> RouteTable::AllowedMethods(
    absl::string_view path) const {
  std::vector<std::string> allowed;
  for (const auto& [method, routes] : by_method_) {
    for (const Route* route : routes) {
      absl::StatusOr<std::optional<std::vector<PathBinding>>> bindings =
          route->path.Match(path);
      if (bindings.ok() && bindings->has_value()) {
        allowed.push_back(method);
        break;
      }
    }
  }
  return allowed;
}

const Route* RouteTable::ForMethod(absl::string_view method_full_name) const {
  for (const std::unique_ptr<Route>& route : routes_) {
    if (route->binding_index == 0 &&
        route->method->full_name() == method_full_name) {
      return route.get();
    }
  }
  return nullptr;
}

std::vector<const google::protobuf::ServiceDescriptor*> ServicesWithPrefix(
    const google::protobuf::DescriptorPool& pool,
    const google::protobuf::FileDescriptorSet& files,
    absl::string_view prefix) {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const google::protobuf::FileDescriptorProto& file : files.file()) {
    const std::string package =
        file.package().empty() ? "" : file.package() + ".";
    for (const google::protobuf::ServiceDescriptorProto& service :
         file.service()) {
      const std::string full_name = package + service.name();
      if (full_name == prefix ||
          absl::StartsWith(full_name, absl::StrCat(prefix, "."))) {
        if (const auto* found = pool.FindServiceByName(full_name)) {
          services.push_back(found);
        }
      }
    }
  }
  return services;
}

}  // namespace agora::gateway
