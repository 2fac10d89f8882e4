#include "libs/redis/reply.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace agora::redis {

std::optional<std::string> Reply::AsString() const {
  if (type == Type::kString || type == Type::kStatus) return text;
  return std::nullopt;
}

std::optional<int64_t> Reply::AsInteger() const {
  if (type == Type::kInteger) return integer;
  int64_t value = 0;
  if (type == Type::kString && absl::SimpleAtoi(text, &value)) return value;
  return std::nullopt;
}

std::optional<double> Reply::AsDouble() const {
  if (type == Type::kInteger) return static_cast<double>(integer);
  double value = 0;
  if (type == Type::kString && absl::SimpleAtod(text, &value)) return value;
  return std::nullopt;
}

absl::Status StatusFromErrorReply(const std::string& error_text) {
  const std::string message = absl::StrCat("redis: ", error_text);
  for (const char* prefix : {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN",
                             "READONLY", "CLUSTERDOWN"}) {
    if (absl::StartsWith(error_text, prefix))
      return absl::UnavailableError(message);
  }
  if (absl::StartsWith(error_text, "OOM"))
    return absl::ResourceExhaustedError(message);
  if (absl::StartsWith(error_text, "NOSCRIPT"))
    return absl::NotFoundError(message);
  return absl::InternalError(message);
}

}  // namespace agora::redis
