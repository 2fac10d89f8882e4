// A Lua script run by its SHA1 (EVALSHA), loaded into Redis on first use and
// again after a Redis restart or SCRIPT FLUSH (the NOSCRIPT reply).
#ifndef AGORA_LIBS_REDIS_LUA_SCRIPT_H_
#define AGORA_LIBS_REDIS_LUA_SCRIPT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::redis {

class LuaScript {
 public:
  explicit LuaScript(absl::string_view source);

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // lower-case hex

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace agora::redis

#endif  // AGORA_LIBS_REDIS_LUA_SCRIPT_H_
