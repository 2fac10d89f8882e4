#include "libs/server/request_context.h"

#include <algorithm>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"

namespace agora::server {

std::optional<std::string> ClientMetadata(
    const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (found == metadata.end()) return std::nullopt;
  return std::string(found->second.data(), found->second.size());
}

std::string RequestId(const grpc::ServerContextBase& context) {
  return ClientMetadata(context, kRequestIdHeader).value_or("");
}

bool IsAcceptableRequestId(absl::string_view id) {
  return !id.empty() && id.size() <= 128 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == ':' ||
                  c == '-';
         });
}

std::string NewRequestId() {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local absl::BitGen random;
  std::string id(32, '0');
  for (char& c : id) c = kHex[absl::Uniform(random, 0, 16)];
  return id;
}

}  // namespace agora::server
