// The operator's audit commands of agora-moderation, run instead of the
// service when its first argument is "audit":
//
//   agora-moderation audit verify --tenant=fr [--start_sequence=N]
//       [--end_sequence=N] [--pg_url=postgresql://...]
//     Recomputes the tenant's hash chain and prints the AuditVerification
//     as one JSON object. Exit 0 when the chain is intact, 1 when it is
//     broken (first_invalid_sequence and failure say where and how).
//
//   agora-moderation audit export --tenant=fr [--pg_url=postgresql://...]
//     Prints every entry of the tenant's log, in sequence order, as JSON
//     lines (one AuditEntry per line, proto field names) for auditors, read
//     from one snapshot. Exit 0.
//
// The PostgreSQL URL comes from --pg_url, else AGORA_PG_URL, else the
// service's default; the moderation schema is put on its search_path.
// Usage errors and unreachable databases exit 2 with a message on stderr.
#ifndef AGORA_SERVICES_MODERATION_AUDIT_COMMAND_H_
#define AGORA_SERVICES_MODERATION_AUDIT_COMMAND_H_

#include <ostream>

namespace agora::moderation {

// argv[0] is "audit", argv[1] the subcommand, then the flags (as main gets
// them after dropping the program name: RunAuditCommand(argc - 1, argv + 1)).
int RunAuditCommand(int argc, char** argv);

// The same, writing to `out` and `err` (for tests).
int RunAuditCommand(int argc, char** argv, std::ostream& out,
                    std::ostream& err);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_AUDIT_COMMAND_H_
