// agora-devtoken: signs access tokens for local development and demos, the
// way identity will, with a signing key kept in a local file (created on
// first use) whose public half is written as the JWKS the services verify
// against (--jwks_file). Never for production: identity issues real tokens.
//   agora-devtoken --key=.local/dev-signing-key.pem --jwks_out=.local/jwks.json
//                  --tenant=fr --subject=alice --roles=member,moderator
//                  [--scopes=...]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwt_signer.h"
#include "libs/config/flags.h"

ABSL_FLAG(std::string, key, ".local/dev-signing-key.pem",
          "PEM private key (created if missing)");
ABSL_FLAG(std::string, jwks_out, "",
          "Where to write the JWKS of the key (optional)");
ABSL_FLAG(std::string, tenant, "fr", "Tenant the token acts in");
ABSL_FLAG(std::string, subject, "demo-member", "Member or service account id");
ABSL_FLAG(std::vector<std::string>, roles, std::vector<std::string>({"member"}),
          "Roles, e.g. member,moderator,tenant_admin,service");
ABSL_FLAG(std::vector<std::string>, scopes, {},
          "Scopes, e.g. moderation.screen");
ABSL_FLAG(int, trust_level, 2, "Trust level 0-4");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(1), "Lifetime");
ABSL_FLAG(std::string, issuer, "agora-identity", "iss");
ABSL_FLAG(std::string, audience, "agora", "aud");

int main(int argc, char** argv) {
  agora::config::ParseFlags(argc, argv,
                            "agora-devtoken: local development tokens");
  const std::string key_path = absl::GetFlag(FLAGS_key);
  std::ifstream in(key_path);
  absl::StatusOr<agora::auth::Ed25519PrivateKey> key = absl::NotFoundError("");
  if (in) {
    std::ostringstream pem;
    pem << in.rdbuf();
    key = agora::auth::Ed25519PrivateKey::FromPem(pem.str());
  } else {
    key = agora::auth::Ed25519PrivateKey::Generate();
    if (key.ok()) {
      absl::StatusOr<std::string> pem = key->ToPem();
      if (!pem.ok()) return 1;
      std::ofstream(key_path) << *pem;
      // A private key: readable by its owner only.
      std::filesystem::permissions(key_path,
                                   std::filesystem::perms::owner_read |
                                       std::filesystem::perms::owner_write);
    }
  }
  if (!key.ok()) {
    std::fprintf(stderr, "agora-devtoken: %s\n",
                 key.status().ToString().c_str());
    return 1;
  }
  if (!absl::GetFlag(FLAGS_jwks_out).empty()) {
    agora::auth::KeySet keys;
    (void)keys.Add(key->public_key());
    std::ofstream(absl::GetFlag(FLAGS_jwks_out)) << agora::auth::ToJwks(keys);
  }
  agora::auth::Claims claims;
  claims.issuer = absl::GetFlag(FLAGS_issuer);
  claims.audience = {absl::GetFlag(FLAGS_audience)};
  claims.subject = absl::GetFlag(FLAGS_subject);
  claims.tenant = absl::GetFlag(FLAGS_tenant);
  claims.roles = absl::GetFlag(FLAGS_roles);
  claims.scopes = absl::GetFlag(FLAGS_scopes);
  claims.trust_level = absl::GetFlag(FLAGS_trust_level);
  claims.issued_at = absl::Now();
  claims.expires_at = absl::Now() + absl::GetFlag(FLAGS_ttl);
  agora::auth::JwtSigner signer(*std::move(key));
  absl::StatusOr<std::string> token = signer.Sign(claims);
  if (!token.ok()) {
    std::fprintf(stderr, "agora-devtoken: %s\n",
                 token.status().ToString().c_str());
    return 1;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}
