// A Redis reply as a plain value, copied out of hiredis' redisReply so that
// nothing of hiredis (or its manual memory management) leaks to callers.
#ifndef AGORA_LIBS_REDIS_REPLY_H_
#define AGORA_LIBS_REDIS_REPLY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace agora::redis {

struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray, kError };

  Type type = Type::kNil;
  int64_t integer = 0;          // kInteger
  std::string text;             // kString, kStatus, kError
  std::vector<Reply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
  // The string of a kString or kStatus reply; nullopt otherwise (nil, ...).
  std::optional<std::string> AsString() const;
  // An integer reply, or a string reply holding a decimal integer.
  std::optional<int64_t> AsInteger() const;
  // A string reply holding a number (ZSCORE, INCRBYFLOAT ...).
  std::optional<double> AsDouble() const;
};

// The status an error reply stands for: LOADING, BUSY, MASTERDOWN, TRYAGAIN,
// READONLY -> UNAVAILABLE (a retry elsewhere or later can succeed); OOM ->
// RESOURCE_EXHAUSTED; NOSCRIPT -> NOT_FOUND; anything else (WRONGTYPE, ERR
// ...) -> INTERNAL, a bug on our side.
absl::Status StatusFromErrorReply(const std::string& error_text);

}  // namespace agora::redis

#endif  // AGORA_LIBS_REDIS_REPLY_H_
