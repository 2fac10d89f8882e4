#include "libs/auth/jwks_file.h"

#include <fstream>
#include <sstream>

#include "libs/auth/jwks_key_source.h"
#include "libs/logging/log.h"

namespace agora::auth {

std::unique_ptr<JwtVerifier> VerifierFromJwksFile(const std::string& path,
                                                  const std::string& issuer,
                                                  const std::string& audience) {
  auto keys =
      std::make_shared<JwksKeySource>([path]() -> absl::StatusOr<std::string> {
        if (path.empty()) {
          return absl::FailedPreconditionError("no JWKS file configured");
        }
        std::ifstream in(path);
        if (!in) return absl::NotFoundError("cannot read " + path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
      });
  if (absl::Status refreshed = keys->Refresh(); !refreshed.ok()) {
    logging::Warn("no token verification keys yet",
                  {{"jwks_file", path}, {"error", refreshed.ToString()}});
  }
  JwtVerifierOptions options;
  options.issuer = issuer;
  options.audience = audience;
  return std::make_unique<JwtVerifier>(options, std::move(keys));
}

}  // namespace agora::auth
