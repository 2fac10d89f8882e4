// /openapi.json of the gateway serving Agora's real contracts: an OpenAPI
// 3.0 document that is structurally valid (every $ref resolves, every path
// parameter is declared, operation ids are unique) and lists every
// annotated RPC of every service, with the proto comments.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/api/annotations.pb.h"
#include "tests/gateway/gateway_process.h"
#include "tests/gateway/http_client.h"

namespace agora::gateway::testing {
namespace {

// "<Service>_<Method>" for every binding of every annotated RPC of the
// descriptor set (the additional ones get _2, _3 ...).
std::set<std::string> AnnotatedOperations(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  google::protobuf::FileDescriptorSet set;
  EXPECT_TRUE(set.ParseFromString(bytes.str()));
  std::set<std::string> operations;
  for (const auto& file : set.file()) {
    if (file.package().rfind("agora.", 0) != 0) continue;
    for (const auto& service : file.service()) {
      for (const auto& method : service.method()) {
        if (!method.options().HasExtension(google::api::http)) continue;
        operations.insert(absl::StrCat(service.name(), "_", method.name()));
      }
    }
  }
  return operations;
}

TEST(GatewayOpenApiTest, DocumentIsValidAndListsEveryAnnotatedRpc) {
  TestKeys keys;
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway =
      GatewayProcess::Start(
          {absl::StrCat("--descriptor_set=", AgoraDescriptorSet()),
           // Addresses nobody listens on: the document needs no service.
           "--upstreams=agora.identity.v1=127.0.0.1:1,agora.content.v1="
           "127.0.0.1:1,agora.ranking.v1=127.0.0.1:1,agora.moderation.v1="
           "127.0.0.1:1,agora.share.v1=127.0.0.1:1",
           absl::StrCat("--jwks_file=", keys.jwks_path())});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  HttpResult result = Send((*gateway)->port(), "GET", "/openapi.json");
  ASSERT_EQ(result.status, 200);
  const nlohmann::json document = result.Json();
  ASSERT_TRUE(document.is_object());

  EXPECT_EQ(document["openapi"], "3.0.3");
  EXPECT_TRUE(document["info"]["title"].is_string());
  EXPECT_TRUE(document["info"]["version"].is_string());
  ASSERT_TRUE(document["paths"].is_object());
  const nlohmann::json& schemas = document["components"]["schemas"];
  ASSERT_TRUE(schemas.is_object());

  // Every $ref anywhere resolves to a schema.
  std::function<void(const nlohmann::json&)> check_refs =
      [&](const nlohmann::json& node) {
        if (node.is_object()) {
          for (auto it = node.begin(); it != node.end(); ++it) {
            if (it.key() == "$ref") {
              const std::string ref = it.value();
              ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
              EXPECT_TRUE(schemas.contains(ref.substr(21))) << ref;
            } else {
              check_refs(it.value());
            }
          }
        } else if (node.is_array()) {
          for (const auto& item : node) check_refs(item);
        }
      };
  check_refs(document);

  const std::set<std::string> methods = {"get",   "put",  "post",   "delete",
                                         "patch", "head", "options"};
  std::set<std::string> operation_ids;
  const std::regex parameter_pattern("\\{([^}]+)\\}");
  for (const auto& [path, item] : document["paths"].items()) {
    EXPECT_EQ(path.rfind("/", 0), 0u) << path;
    EXPECT_EQ(path.find('*'), std::string::npos) << path;
    EXPECT_EQ(path.find('='), std::string::npos) << path;
    std::set<std::string> in_path;
    for (std::sregex_iterator it(path.begin(), path.end(), parameter_pattern),
         end;
         it != end; ++it) {
      in_path.insert((*it)[1]);
    }
    for (const auto& [method, operation] : item.items()) {
      EXPECT_TRUE(methods.count(method)) << method;
      const std::string id = operation["operationId"];
      EXPECT_TRUE(operation_ids.insert(id).second) << "duplicate " << id;
      EXPECT_TRUE(operation["responses"].contains("200")) << id;
      EXPECT_TRUE(operation["responses"].contains("default")) << id;
      std::set<std::string> declared;
      for (const auto& parameter : operation["parameters"]) {
        EXPECT_TRUE(parameter["schema"].is_object()) << id;
        if (parameter["in"] == "path") {
          EXPECT_EQ(parameter["required"], true) << id;
          declared.insert(parameter["name"].get<std::string>());
        } else {
          EXPECT_EQ(parameter["in"], "query") << id;
        }
      }
      EXPECT_EQ(declared, in_path) << id << " " << path;
    }
  }

  // Every annotated RPC of every real contract has its operation.
  std::set<std::string> primary;
  for (const std::string& id : operation_ids) {
    primary.insert(id.substr(0, id.find('_', id.find('_') + 1)));
  }
  const std::set<std::string> annotated =
      AnnotatedOperations(AgoraDescriptorSet());
  EXPECT_GT(annotated.size(), 100u);
  for (const std::string& operation : annotated) {
    EXPECT_TRUE(primary.count(operation)) << "missing " << operation;
  }

  // Comments travel: an RPC's and a field's.
  const nlohmann::json& resolve =
      document["paths"]["/v1/tenants/{tenant}/shortLinks/{shortLink}:resolve"]
              ["post"];
  EXPECT_THAT(resolve["description"].get<std::string>(),
              ::testing::HasSubstr("Resolves a short code"));
  EXPECT_THAT(
      schemas["agora.share.v1.ShortLink"]["properties"]["code"]["description"]
          .get<std::string>(),
      ::testing::HasSubstr("The short code"));
  EXPECT_EQ(
      schemas["agora.share.v1.ShortLink"]["properties"]["createTime"]["format"],
      "date-time");
}

}  // namespace
}  // namespace agora::gateway::testing
