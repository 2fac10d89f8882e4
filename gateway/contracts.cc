#include "gateway/contracts.h"

#include <google/protobuf/util/type_resolver_util.h>

#include <fstream>
#include <sstream>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace agora::gateway {
namespace {

namespace util = google::protobuf::util;

class CachingTypeResolver final : public util::TypeResolver {
 public:
  explicit CachingTypeResolver(const google::protobuf::DescriptorPool* pool)
      : inner_(util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, pool)) {}

  util::Status ResolveMessageType(const std::string& type_url,
                                  google::protobuf::Type* type) override {
    {
      absl::MutexLock lock(&mu_);
      auto it = types_.find(type_url);
      if (it != types_.end()) {
        *type = it->second;
        return util::Status();
      }
    }
    util::Status status = inner_->ResolveMessageType(type_url, type);
    if (status.ok()) {
      absl::MutexLock lock(&mu_);
      types_.emplace(type_url, *type);
    }
    return status;
  }

  util::Status ResolveEnumType(const std::string& type_url,
                               google::protobuf::Enum* enum_type) override {
    {
      absl::MutexLock lock(&mu_);
      auto it = enums_.find(type_url);
      if (it != enums_.end()) {
        *enum_type = it->second;
        return util::Status();
      }
    }
    util::Status status = inner_->ResolveEnumType(type_url, enum_type);
    if (status.ok()) {
      absl::MutexLock lock(&mu_);
      enums_.emplace(type_url, *enum_type);
    }
    return status;
  }

 private:
  std::unique_ptr<util::TypeResolver> inner_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, google::protobuf::Type> types_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, google::protobuf::Enum> enums_
      ABSL_GUARDED_BY(mu_);
};

class CollectErrors final
    : public google::protobuf::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename, const std::string& element_name,
                const google::protobuf::Message*, ErrorLocation,
                const std::string& message) override {
    if (first.empty())
      first = absl::StrCat(filename, ": ", element_name, ": ", message);
  }
  std::string first;
};

}  // namespace

std::string TypeUrl(const google::protobuf::Descriptor* type) {
  return absl::StrCat(kTypeUrlPrefix, "/", type->full_name());
}

absl::StatusOr<std::unique_ptr<Contracts>> Contracts::Load(
    const std::vector<std::string>& paths) {
  std::vector<std::string> sets;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptor set ", path, ": cannot be read"));
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    sets.push_back(bytes.str());
  }
  return FromBytes(sets);
}

absl::StatusOr<std::unique_ptr<Contracts>> Contracts::FromBytes(
    const std::vector<std::string>& sets) {
  std::unique_ptr<Contracts> contracts(new Contracts());
  absl::flat_hash_set<std::string> names;
  for (const std::string& bytes : sets) {
    google::protobuf::FileDescriptorSet set;
    if (!set.ParseFromString(bytes)) {
      return absl::InvalidArgumentError(
          "descriptor set: not a FileDescriptorSet");
    }
    for (google::protobuf::FileDescriptorProto& file : *set.mutable_file()) {
      if (names.insert(file.name()).second) {
        *contracts->files_.add_file() = std::move(file);
      }
    }
  }
  contracts->pool_ = std::make_unique<google::protobuf::DescriptorPool>();
  for (const google::protobuf::FileDescriptorProto& file :
       contracts->files_.file()) {
    CollectErrors errors;
    if (contracts->pool_->BuildFileCollectingErrors(file, &errors) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("descriptor set: ", errors.first));
    }
  }
  contracts->resolver_ =
      std::make_unique<CachingTypeResolver>(contracts->pool_.get());
  return contracts;
}

}  // namespace agora::gateway
