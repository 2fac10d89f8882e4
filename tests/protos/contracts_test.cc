// The v1 contracts keep the promises the gateway and API users rely on:
// every RPC has a google.api.http rule whose path variables and body name
// real fields, no two rules collide, tenant resources are reached under
// /v1/tenants/..., and every element of every contract is documented.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"

namespace agora {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::FileDescriptorSet;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

FileDescriptorSet LoadDescriptorSet() {
  FileDescriptorSet set;
  std::ifstream in(AGORA_DESCRIPTOR_SET, std::ios::binary);
  EXPECT_TRUE(set.ParseFromIstream(&in)) << AGORA_DESCRIPTOR_SET;
  return set;
}

// A pool built from the descriptor set the gateway loads (not the generated
// pool: a test must see what ships). google.api.http options parse as known
// extensions because annotations.pb.cc is linked in.
const DescriptorPool& ContractPool() {
  static const DescriptorPool* pool = [] {
    auto* built = new DescriptorPool();  // lives as long as the test process
    const FileDescriptorSet set = LoadDescriptorSet();
    for (const FileDescriptorProto& file : set.file()) {
      EXPECT_NE(built->BuildFile(file), nullptr) << file.name();
    }
    return built;
  }();
  return *pool;
}

std::vector<const ServiceDescriptor*> AgoraServices() {
  std::vector<const ServiceDescriptor*> services;
  const FileDescriptorSet set = LoadDescriptorSet();
  for (const FileDescriptorProto& file : set.file()) {
    if (!absl::StartsWith(file.name(), "agora/")) continue;
    const auto* descriptor = ContractPool().FindFileByName(file.name());
    EXPECT_NE(descriptor, nullptr) << file.name();
    if (descriptor == nullptr) continue;
    for (int i = 0; i < descriptor->service_count(); ++i) {
      services.push_back(descriptor->service(i));
    }
  }
  return services;
}

struct Binding {
  std::string verb;
  std::string path;
  std::string body;
};

std::vector<Binding> Bindings(const google::api::HttpRule& rule) {
  std::vector<Binding> bindings;
  auto add = [&](const google::api::HttpRule& r) {
    switch (r.pattern_case()) {
      case google::api::HttpRule::kGet:
        bindings.push_back({"GET", r.get(), r.body()});
        break;
      case google::api::HttpRule::kPost:
        bindings.push_back({"POST", r.post(), r.body()});
        break;
      case google::api::HttpRule::kPut:
        bindings.push_back({"PUT", r.put(), r.body()});
        break;
      case google::api::HttpRule::kPatch:
        bindings.push_back({"PATCH", r.patch(), r.body()});
        break;
      case google::api::HttpRule::kDelete:
        bindings.push_back({"DELETE", r.delete_(), r.body()});
        break;
      default:
        bindings.push_back({"?", "", r.body()});
    }
  };
  add(rule);
  for (const auto& extra : rule.additional_bindings()) add(extra);
  return bindings;
}

// The field at a dotted path ("post.name") of `message`, or null.
const FieldDescriptor* FieldAt(const Descriptor* message,
                               absl::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

// The variables of a path template: "{parent=tenants/*}" -> "parent".
std::vector<std::string> Variables(const std::string& path) {
  std::vector<std::string> variables;
  size_t at = 0;
  while ((at = path.find('{', at)) != std::string::npos) {
    const size_t end = path.find_first_of("=}", at);
    variables.push_back(path.substr(at + 1, end - at - 1));
    at = end;
  }
  return variables;
}

// A template with each variable replaced by the segments it matches:
// "/v1/{name=tenants/*/posts/*}:accept" -> "/v1/tenants/*/posts/*:accept",
// "{name}" -> "*". Two rules with the same verb and shape collide.
std::string Shape(const std::string& path) {
  std::string shape;
  size_t at = 0;
  while (at < path.size()) {
    if (path[at] != '{') {
      shape += path[at++];
      continue;
    }
    const size_t close = path.find('}', at);
    const size_t equals = path.find('=', at);
    shape += equals < close ? path.substr(equals + 1, close - equals - 1) : "*";
    at = close + 1;
  }
  return shape;
}

TEST(ContractsTest, EveryServiceIsThere) {
  std::set<std::string> names;
  for (const ServiceDescriptor* service : AgoraServices())
    names.insert(service->full_name());
  for (const char* package :
       {"identity", "content", "ranking", "moderation", "share"}) {
    bool found = false;
    for (const std::string& name : names) {
      found = found ||
              absl::StartsWith(name, absl::StrCat("agora.", package, ".v1."));
    }
    EXPECT_TRUE(found) << "no service in agora." << package << ".v1";
  }
}

TEST(ContractsTest, EveryRpcHasAnHttpRuleNamingRealFields) {
  int rpcs = 0;
  for (const ServiceDescriptor* service : AgoraServices()) {
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor* method = service->method(m);
      ++rpcs;
      ASSERT_TRUE(method->options().HasExtension(google::api::http))
          << method->full_name() << " has no google.api.http annotation";
      for (const Binding& binding :
           Bindings(method->options().GetExtension(google::api::http))) {
        EXPECT_TRUE(absl::StartsWith(binding.path, "/v1/"))
            << method->full_name() << ": " << binding.path;
        for (const std::string& variable : Variables(binding.path)) {
          EXPECT_NE(FieldAt(method->input_type(), variable), nullptr)
              << method->full_name() << ": path variable " << variable;
        }
        if (binding.verb == "GET" || binding.verb == "DELETE") {
          EXPECT_TRUE(binding.body.empty())
              << method->full_name() << " has a body";
        } else if (!binding.body.empty() && binding.body != "*") {
          EXPECT_NE(method->input_type()->FindFieldByName(binding.body),
                    nullptr)
              << method->full_name() << ": body " << binding.body;
        }
      }
    }
  }
  EXPECT_GT(rpcs, 100);
}

TEST(ContractsTest, NoTwoRulesCollide) {
  std::map<std::string, std::string> seen;
  for (const ServiceDescriptor* service : AgoraServices()) {
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor* method = service->method(m);
      for (const Binding& binding :
           Bindings(method->options().GetExtension(google::api::http))) {
        const std::string key =
            absl::StrCat(binding.verb, " ", Shape(binding.path));
        auto [it, inserted] = seen.emplace(key, method->full_name());
        EXPECT_TRUE(inserted) << key << " is bound by " << it->second << " and "
                              << method->full_name();
      }
    }
  }
}

TEST(ContractsTest, TenantResourcesAreReachedUnderTheirTenant) {
  // The gateway finds the tenant from the path; the few routes outside a
  // tenant are platform-wide by nature (tenants themselves, the signing
  // keys, platform service accounts).
  for (const ServiceDescriptor* service : AgoraServices()) {
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor* method = service->method(m);
      for (const Binding& binding :
           Bindings(method->options().GetExtension(google::api::http))) {
        const std::string shape = Shape(binding.path);
        EXPECT_TRUE(absl::StartsWith(shape, "/v1/tenants") ||
                    absl::StartsWith(shape, "/v1/jwks") ||
                    absl::StartsWith(shape, "/v1/serviceAccounts"))
            << method->full_name() << ": " << binding.path;
      }
    }
  }
}

// Paths in SourceCodeInfo: 4 = message_type, 2 = field, 5 = enum_type,
// 2 = enum value, 6 = service, 2 = method, 3 = nested_type, 4 = nested enum.
TEST(ContractsTest, EveryElementIsDocumented) {
  int checked = 0;
  const FileDescriptorSet set = LoadDescriptorSet();
  for (const FileDescriptorProto& file : set.file()) {
    if (!absl::StartsWith(file.name(), "agora/")) continue;
    std::set<std::vector<int>> documented;
    for (const auto& location : file.source_code_info().location()) {
      if (!location.leading_comments().empty() ||
          !location.trailing_comments().empty()) {
        documented.insert({location.path().begin(), location.path().end()});
      }
    }
    auto expect = [&](const std::vector<int>& path, const std::string& what) {
      ++checked;
      EXPECT_TRUE(documented.count(path))
          << file.name() << ": " << what << " has no comment";
    };
    std::function<void(const google::protobuf::DescriptorProto&,
                       std::vector<int>)>
        message;
    auto enumeration = [&](const google::protobuf::EnumDescriptorProto& e,
                           std::vector<int> path) {
      expect(path, e.name());
      for (int v = 0; v < e.value_size(); ++v) {
        std::vector<int> value = path;
        value.insert(value.end(), {2, v});
        expect(value, e.value(v).name());
      }
    };
    message = [&](const google::protobuf::DescriptorProto& m,
                  std::vector<int> path) {
      if (m.options().map_entry()) return;
      expect(path, m.name());
      for (int f = 0; f < m.field_size(); ++f) {
        std::vector<int> field = path;
        field.insert(field.end(), {2, f});
        expect(field, absl::StrCat(m.name(), ".", m.field(f).name()));
      }
      for (int n = 0; n < m.nested_type_size(); ++n) {
        std::vector<int> nested = path;
        nested.insert(nested.end(), {3, n});
        message(m.nested_type(n), nested);
      }
      for (int e = 0; e < m.enum_type_size(); ++e) {
        std::vector<int> nested = path;
        nested.insert(nested.end(), {4, e});
        enumeration(m.enum_type(e), nested);
      }
    };
    for (int i = 0; i < file.message_type_size(); ++i)
      message(file.message_type(i), {4, i});
    for (int i = 0; i < file.enum_type_size(); ++i)
      enumeration(file.enum_type(i), {5, i});
    for (int s = 0; s < file.service_size(); ++s) {
      expect({6, s}, file.service(s).name());
      for (int m = 0; m < file.service(s).method_size(); ++m) {
        expect({6, s, 2, m}, file.service(s).method(m).name());
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace agora
