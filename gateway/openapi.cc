#include "gateway/openapi.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace agora::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

std::string Singular(absl::string_view collection) {
  if (absl::EndsWith(collection, "ies")) {
    return absl::StrCat(collection.substr(0, collection.size() - 3), "y");
  }
  if (absl::EndsWith(collection, "sses")) {
    return std::string(collection.substr(0, collection.size() - 2));
  }
  if (absl::EndsWith(collection, "s") && collection.size() > 1) {
    return std::string(collection.substr(0, collection.size() - 1));
  }
  return absl::StrCat(collection, "_id");
}

template <typename T>
std::string CommentOf(const T* element) {
  google::protobuf::SourceLocation location;
  if (!element->GetSourceLocation(&location)) return "";
  return std::string(absl::StripAsciiWhitespace(location.leading_comments));
}

class SchemaBuilder {
 public:
  nlohmann::json Ref(const Descriptor* type) {
    if (const nlohmann::json* inline_schema = WellKnown(type)) {
      return *inline_schema;
    }
    Add(type);
    return {{"$ref", absl::StrCat("#/components/schemas/", type->full_name())}};
  }

  nlohmann::json& schemas() { return schemas_; }

 private:
  const nlohmann::json* WellKnown(const Descriptor* type) {
    static const auto* known = new std::map<std::string, nlohmann::json>{
        {"google.protobuf.Timestamp",
         {{"type", "string"}, {"format", "date-time"}}},
        {"google.protobuf.Duration", {{"type", "string"}, {"example", "1.5s"}}},
        {"google.protobuf.FieldMask",
         {{"type", "string"},
          {"description", "Field paths separated by commas."}}},
        {"google.protobuf.Empty", {{"type", "object"}}},
        {"google.protobuf.Struct", {{"type", "object"}}},
        {"google.protobuf.Value", nlohmann::json::object()},
        {"google.protobuf.ListValue",
         {{"type", "array"}, {"items", nlohmann::json::object()}}},
        {"google.protobuf.Any",
         {{"type", "object"},
          {"properties", {{"@type", {{"type", "string"}}}}},
          {"additionalProperties", true}}},
        {"google.protobuf.StringValue", {{"type", "string"}}},
        {"google.protobuf.BytesValue",
         {{"type", "string"}, {"format", "byte"}}},
        {"google.protobuf.BoolValue", {{"type", "boolean"}}},
        {"google.protobuf.Int32Value",
         {{"type", "integer"}, {"format", "int32"}}},
        {"google.protobuf.UInt32Value",
         {{"type", "integer"}, {"format", "int64"}}},
        {"google.protobuf.Int64Value",
         {{"type", "string"}, {"format", "int64"}}},
        {"google.protobuf.UInt64Value",
         {{"type", "string"}, {"format", "uint64"}}},
        {"google.protobuf.DoubleValue",
         {{"type", "number"}, {"format", "double"}}},
        {"google.protobuf.FloatValue",
         {{"type", "number"}, {"format", "float"}}},
    };
    auto it = known->find(type->full_name());
    return it == known->end() ? nullptr : &it->second;
  }

  void Add(const Descriptor* type) {
    if (!seen_.insert(type->full_name()).second) return;
    nlohmann::json properties = nlohmann::json::object();
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      properties[field->json_name()] = FieldSchema(field);
    }
    nlohmann::json schema = {{"type", "object"}, {"properties", properties}};
    if (std::string comment = CommentOf(type); !comment.empty()) {
      schema["description"] = comment;
    }
    schemas_[type->full_name()] = std::move(schema);
  }

  nlohmann::json FieldSchema(const FieldDescriptor* field) {
    nlohmann::json schema;
    if (field->is_map()) {
      schema = {{"type", "object"},
                {"additionalProperties",
                 ValueSchema(field->message_type()->FindFieldByNumber(2))}};
    } else if (field->is_repeated()) {
      schema = {{"type", "array"}, {"items", ValueSchema(field)}};
    } else {
      schema = ValueSchema(field);
    }
    std::string comment = CommentOf(field);
    if (!comment.empty()) {
      if (schema.contains("$ref")) {
        // A $ref's siblings are ignored in OpenAPI 3.0: wrap it.
        schema = {{"allOf", nlohmann::json::array({schema})}};
      }
      schema["description"] = comment;
    }
    return schema;
  }

  nlohmann::json ValueSchema(const FieldDescriptor* field) {
    switch (field->type()) {
      case FieldDescriptor::TYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case FieldDescriptor::TYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
        return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        return {{"type", "string"}, {"format", "uint64"}};
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        return {{"type", "integer"}, {"format", "int32"}};
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}};
      case FieldDescriptor::TYPE_BOOL:
        return {{"type", "boolean"}};
      case FieldDescriptor::TYPE_STRING:
        return {{"type", "string"}};
      case FieldDescriptor::TYPE_BYTES:
        return {{"type", "string"}, {"format", "byte"}};
      case FieldDescriptor::TYPE_ENUM: {
        nlohmann::json values = nlohmann::json::array();
        const EnumDescriptor* type = field->enum_type();
        for (int i = 0; i < type->value_count(); ++i) {
          values.push_back(type->value(i)->name());
        }
        return {{"type", "string"}, {"enum", values}};
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        return Ref(field->message_type());
    }
    return nlohmann::json::object();
  }

  nlohmann::json schemas_ = nlohmann::json::object();
  std::set<std::string> seen_;
};

// Query parameters of a body-less method: the request's scalar (and
// repeated scalar, well-known string) fields not bound by the path, one
// level deep.
void AddQueryParameters(const Route& route, SchemaBuilder& schemas,
                        nlohmann::json& parameters) {
  std::set<std::string> bound;
  for (const PathTemplate::Variable& variable : route.path.variables()) {
    bound.insert(variable.field_path.substr(0, variable.field_path.find('.')));
  }
  const Descriptor* input = route.method->input_type();
  for (int i = 0; i < input->field_count(); ++i) {
    const FieldDescriptor* field = input->field(i);
    if (bound.count(field->name()) > 0 || field->is_map()) continue;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      const std::string& name = field->message_type()->full_name();
      if (name != "google.protobuf.Timestamp" &&
          name != "google.protobuf.Duration" &&
          name != "google.protobuf.FieldMask") {
        continue;
      }
    }
    nlohmann::json parameter = {
        {"name", field->json_name()},
        {"in", "query"},
        {"required", false},
        {"schema", field->is_repeated()
                       ? nlohmann::json{{"type", "array"},
                                        {"items", {{"type", "string"}}}}
                       : nlohmann::json{{"type", "string"}}}};
    if (field->type() != FieldDescriptor::TYPE_MESSAGE &&
        !field->is_repeated()) {
      (void)schemas;
    }
    if (std::string comment = CommentOf(field); !comment.empty()) {
      parameter["description"] = comment;
    }
    parameters.push_back(std::move(parameter));
  }
}

std::string LowerMethod(const std::string& method) {
  std::string lower = method;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  return lower;
}

}  // namespace

OpenApiPath ToOpenApiPath(const PathTemplate& path) {
  OpenApiPath out;
  const auto& segments = path.segments();
  std::set<std::string> used;
  auto unique = [&](std::string name) {
    std::string candidate = name;
    for (int n = 2; !used.insert(candidate).second; ++n) {
      candidate = absl::StrCat(name, n);
    }
    return candidate;
  };
  // Which variable (if any) each segment belongs to.
  std::vector<int> owner(segments.size(), -1);
  for (size_t v = 0; v < path.variables().size(); ++v) {
    const auto& variable = path.variables()[v];
    for (size_t i = variable.first_segment; i < variable.end_segment; ++i) {
      owner[i] = static_cast<int>(v);
    }
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& segment = segments[i];
    out.path.push_back('/');
    const bool single_variable =
        owner[i] >= 0 && path.variables()[owner[i]].end_segment -
                                 path.variables()[owner[i]].first_segment ==
                             1;
    switch (segment.kind) {
      case PathTemplate::SegmentKind::kLiteral:
        out.path += segment.literal;
        break;
      case PathTemplate::SegmentKind::kWildcard:
      case PathTemplate::SegmentKind::kDoubleWildcard: {
        std::string name;
        if (single_variable) {
          name = absl::StrReplaceAll(path.variables()[owner[i]].field_path,
                                     {{".", "_"}});
        } else if (i > 0 && segments[i - 1].kind ==
                                PathTemplate::SegmentKind::kLiteral) {
          name = Singular(segments[i - 1].literal);
        } else {
          name = "path";
        }
        name = unique(name);
        out.parameters.push_back(name);
        absl::StrAppend(&out.path, "{", name, "}");
        break;
      }
    }
  }
  if (!path.verb().empty()) absl::StrAppend(&out.path, ":", path.verb());
  return out;
}

nlohmann::json OpenApiDocument(const RouteTable& routes,
                               const std::string& title,
                               const std::string& version) {
  SchemaBuilder schemas;
  nlohmann::json paths = nlohmann::json::object();
  std::set<std::string> tags_seen;
  nlohmann::json tags = nlohmann::json::array();
  for (const std::unique_ptr<Route>& route_ptr : routes.routes()) {
    const Route& route = *route_ptr;
    const OpenApiPath path = ToOpenApiPath(route.path);
    const std::string method = LowerMethod(route.http_method);
    if (paths.contains(path.path) && paths[path.path].contains(method)) {
      continue;  // two bindings with one OpenAPI shape: the first documents
    }
    const std::string service = route.method->service()->full_name();
    if (tags_seen.insert(service).second) {
      nlohmann::json tag = {{"name", service}};
      if (std::string comment = CommentOf(route.method->service());
          !comment.empty()) {
        tag["description"] = comment;
      }
      tags.push_back(std::move(tag));
    }
    nlohmann::json parameters = nlohmann::json::array();
    for (const std::string& name : path.parameters) {
      parameters.push_back({{"name", name},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}}});
    }
    if (route.body.empty()) AddQueryParameters(route, schemas, parameters);
    std::string operation_id = absl::StrCat(route.method->service()->name(),
                                            "_", route.method->name());
    if (route.binding_index > 0) {
      absl::StrAppend(&operation_id, "_", route.binding_index + 1);
    }
    nlohmann::json operation = {
        {"operationId", operation_id},
        {"tags", {service}},
        {"summary", absl::StrCat(route.method->name())},
        {"parameters", parameters},
    };
    if (std::string comment = CommentOf(route.method); !comment.empty()) {
      operation["description"] = comment;
    }
    if (!route.body.empty()) {
      nlohmann::json body_schema;
      if (route.body == "*") {
        body_schema = schemas.Ref(route.method->input_type());
      } else {
        const FieldDescriptor* field =
            route.method->input_type()->FindFieldByName(route.body);
        body_schema = field->type() == FieldDescriptor::TYPE_MESSAGE &&
                              !field->is_repeated()
                          ? schemas.Ref(field->message_type())
                          : nlohmann::json{{"type", "object"}};
      }
      operation["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", body_schema}}}}}};
    }
    const Descriptor* output = route.method->output_type();
    if (!route.response_body.empty()) {
      output = output->FindFieldByName(route.response_body)->message_type();
    }
    operation["responses"] = {
        {"200",
         {{"description", "OK"},
          {"content",
           {{"application/json", {{"schema", schemas.Ref(output)}}}}}}},
        {"default",
         {{"description", "Error"},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
    paths[path.path][method] = std::move(operation);
  }
  schemas.schemas()["Error"] = {
      {"type", "object"},
      {"required", {"code", "message", "details", "request_id"}},
      {"properties",
       {{"code",
         {{"type", "string"},
          {"description", "The gRPC status code name, e.g. NOT_FOUND."}}},
        {"message", {{"type", "string"}}},
        {"details",
         {{"type", "array"},
          {"items", {{"type", "object"}}},
          {"description",
           "google.rpc.ErrorInfo, RetryInfo ... in their JSON mapping."}}},
        {"request_id", {{"type", "string"}}}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", title}, {"version", version}}},
          {"tags", tags},
          {"paths", paths},
          {"components",
           {{"schemas", schemas.schemas()},
            {"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"bearerFormat", "JWT"}}}}}}},
          {"security",
           nlohmann::json::array({nlohmann::json::object(),
                                  {{"bearer", nlohmann::json::array()}}})}};
}

}  // namespace agora::gateway
