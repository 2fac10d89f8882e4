// The API contracts the gateway serves: a descriptor set (protoc
// --include_imports --include_source_info, as cmake/AgoraProto.cmake writes
// it) loaded into a descriptor pool of its own, with a JSON type resolver
// over it. Loaded once at start-up; read-only and thread-safe afterwards.
#ifndef AGORA_GATEWAY_CONTRACTS_H_
#define AGORA_GATEWAY_CONTRACTS_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/util/type_resolver.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::gateway {

inline constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

class Contracts {
 public:
  // Reads and builds the descriptor sets at `paths` into one pool (a file
  // several sets hold is taken once). INVALID_ARGUMENT when one is not a
  // descriptor set or a file does not build (missing import ...).
  static absl::StatusOr<std::unique_ptr<Contracts>> Load(
      const std::vector<std::string>& paths);
  // The same from serialized sets.
  static absl::StatusOr<std::unique_ptr<Contracts>> FromBytes(
      const std::vector<std::string>& sets);

  const google::protobuf::DescriptorPool& pool() const { return *pool_; }
  const google::protobuf::FileDescriptorSet& files() const { return files_; }
  // A resolver that converts each type once and keeps it (protobuf's own
  // resolver rebuilds google.protobuf.Type on every JSON conversion).
  google::protobuf::util::TypeResolver* resolver() const {
    return resolver_.get();
  }

 private:
  Contracts() = default;
  google::protobuf::FileDescriptorSet files_;
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

// "type.googleapis.com/<full name>".
std::string TypeUrl(const google::protobuf::Descriptor* type);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_CONTRACTS_H_
