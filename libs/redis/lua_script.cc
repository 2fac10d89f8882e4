#include "libs/redis/lua_script.h"

#include <openssl/evp.h>

namespace agora::redis {

LuaScript::LuaScript(absl::string_view source) : source_(source) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(source_.data(), source_.size(), digest, &length, EVP_sha1(),
             nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    sha1_.push_back(kHex[digest[i] >> 4]);
    sha1_.push_back(kHex[digest[i] & 0xf]);
  }
}

}  // namespace agora::redis
