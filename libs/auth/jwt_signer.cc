#include "libs/auth/jwt_signer.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/base64url.h"
#include "libs/auth/jwt_format.h"

namespace agora::auth {

JwtSigner::JwtSigner(Ed25519PrivateKey key)
    : key_(std::move(key)), key_id_(key_.public_key().Thumbprint()) {
  // The header is the same for every token: encode it once.
  const nlohmann::json header = {
      {"alg", kJwtAlgorithm}, {"typ", kJwtType}, {"kid", key_id_}};
  encoded_header_ = Base64UrlEncode(header.dump());
}

absl::StatusOr<std::string> JwtSigner::Sign(const Claims& claims) const {
  absl::StatusOr<std::string> payload = EncodeClaims(claims);
  if (!payload.ok()) return payload.status();
  std::string token =
      absl::StrCat(encoded_header_, ".", Base64UrlEncode(*payload));
  absl::StatusOr<std::string> signature = key_.Sign(token);
  if (!signature.ok()) return signature.status();
  absl::StrAppend(&token, ".", Base64UrlEncode(*signature));
  if (token.size() > kMaxTokenBytes) {
    return absl::InvalidArgumentError("token would exceed 8 KiB");
  }
  return token;
}

}  // namespace agora::auth
