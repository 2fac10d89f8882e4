// cjose verifies (it knows JWS's RS256 and ES256 signature encodings, r||s
// included); the header is read and the algorithm checked here first, because
// cjose would otherwise pick the algorithm from the attacker's header.
#include "services/identity/oidc/jws_signature.h"

#include <cjose/header.h>
#include <cjose/jws.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

namespace agora::identity::oidc {
namespace {

constexpr size_t kMaxHeaderBytes = 2048;

absl::Status Malformed() {
  return absl::UnauthenticatedError("id token malformed");
}

bool IsBase64UrlUnpadded(absl::string_view part) {
  for (const char c : part) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

const char* AlgName(JwsAlgorithm alg) {
  return alg == JwsAlgorithm::kRs256 ? "RS256" : "ES256";
}

struct CjoseJwsDeleter {
  void operator()(cjose_jws_t* jws) const { cjose_jws_release(jws); }
};

}  // namespace

absl::StatusOr<JwsHeader> ReadJwsHeader(absl::string_view compact) {
  if (compact.empty() || compact.size() > kMaxIdTokenBytes) return Malformed();
  const std::vector<absl::string_view> parts = absl::StrSplit(compact, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty())
    return Malformed();
  for (const absl::string_view part : parts) {
    if (!IsBase64UrlUnpadded(part)) return Malformed();
  }
  std::string header_json;
  if (parts[0].size() > kMaxHeaderBytes ||
      !absl::WebSafeBase64Unescape(parts[0], &header_json)) {
    return Malformed();
  }
  const nlohmann::json header =
      nlohmann::json::parse(header_json, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) return Malformed();
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) return Malformed();
  JwsHeader result;
  if (*alg == "RS256") {
    result.alg = JwsAlgorithm::kRs256;
  } else if (*alg == "ES256") {
    result.alg = JwsAlgorithm::kEs256;
  } else {
    return absl::UnauthenticatedError("id token algorithm not allowed");
  }
  if (header.contains("crit"))
    return absl::UnauthenticatedError("id token header not supported");
  if (const auto kid = header.find("kid"); kid != header.end()) {
    if (!kid->is_string() || kid->get_ref<const std::string&>().size() > 256)
      return Malformed();
    result.kid = kid->get<std::string>();
  }
  return result;
}

absl::StatusOr<std::string> VerifiedJwsPayload(absl::string_view compact,
                                               const JwsHeader& header,
                                               const cjose_jwk_t& key) {
  const absl::Status invalid =
      absl::UnauthenticatedError("id token signature invalid");
  std::unique_ptr<cjose_jws_t, CjoseJwsDeleter> jws(
      cjose_jws_import(compact.data(), compact.size(), nullptr));
  if (jws == nullptr) return Malformed();
  // cjose parses the header again (with jansson); should the two parsers ever
  // disagree on alg (duplicate members...), refuse rather than let cjose pick.
  cjose_header_t* protected_header = cjose_jws_get_protected(jws.get());
  const char* cjose_alg =
      protected_header == nullptr
          ? nullptr
          : cjose_header_get(protected_header, CJOSE_HDR_ALG, nullptr);
  if (cjose_alg == nullptr ||
      absl::string_view(cjose_alg) != AlgName(header.alg)) {
    return absl::UnauthenticatedError("id token algorithm not allowed");
  }
  if (!cjose_jws_verify(jws.get(), &key, nullptr)) return invalid;
  uint8_t* payload = nullptr;  // owned by jws
  size_t payload_size = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &payload, &payload_size, nullptr) ||
      payload == nullptr) {
    return invalid;
  }
  return std::string(reinterpret_cast<const char*>(payload), payload_size);
}

}  // namespace agora::identity::oidc
