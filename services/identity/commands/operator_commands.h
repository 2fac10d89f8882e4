// Operator commands of agora-identity, run against the same database as the
// service (same flags):
//   agora-identity keys rotate                   new signing key; the old
//                                                one stays published until
//                                                its tokens have expired
//   agora-identity keys jwks                     the published keys (JWKS)
//   agora-identity seed --seed_file=F --seed_password=file:P
//                                                tenants and members from a
//                                                JSON file (idempotent; used
//                                                by deploy/up for demo data
//                                                and to create the first
//                                                platform admin)
//   agora-identity export --member=tenants/fr/members/ID   GDPR export (JSON)
//   agora-identity erase --member=tenants/fr/members/ID --reason=...
#ifndef AGORA_SERVICES_IDENTITY_COMMANDS_OPERATOR_COMMANDS_H_
#define AGORA_SERVICES_IDENTITY_COMMANDS_OPERATOR_COMMANDS_H_

#include <string>
#include <vector>

#include "services/identity/domain/identity_context.h"

namespace agora::identity {

struct OperatorOptions {
  std::string seed_file;
  std::string seed_password;  // secret reference: file:... or env:...
  std::string member;
  std::string reason;
};

// Runs `args` ("keys rotate", "seed", "export", "erase"); the exit code.
int RunOperatorCommand(IdentityContext& context,
                       const std::vector<std::string>& args,
                       const OperatorOptions& options);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_COMMANDS_OPERATOR_COMMANDS_H_
