#include "services/moderation/audit_command.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/status/protobuf_status.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/repository/audit_log.h"

namespace agora::moderation {
namespace {

constexpr int kUsageOrFailure = 2;
constexpr int kChainBroken = 1;
constexpr int kExportPage = 1000;
// The service's own default (main.cc's --pg_url).
constexpr char kDefaultPgUrl[] = "postgresql://agora@127.0.0.1:5432/agora";

constexpr char kUsage[] =
    "usage: agora-moderation audit verify --tenant=TENANT [--start_sequence=N]"
    " [--end_sequence=N] [--pg_url=URL]\n"
    "       agora-moderation audit export --tenant=TENANT [--pg_url=URL]\n"
    "The PostgreSQL URL defaults to $AGORA_PG_URL, then "
    "postgresql://agora@127.0.0.1:5432/agora.\n";

struct AuditCommand {
  std::string subcommand;
  std::string tenant;
  std::string pg_url;
  int64_t start_sequence = 1;
  int64_t end_sequence = 0;
};

// "--name=value" and "--name value" for the flags of `allowed`.
absl::StatusOr<std::map<std::string, std::string>> ParseFlags(
    int argc, char** argv, int first, const std::vector<std::string>& allowed) {
  std::map<std::string, std::string> flags;
  for (int i = first; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument ", argv[i]));
    }
    std::string name, value;
    const size_t equals = arg.find('=');
    if (equals != absl::string_view::npos) {
      name = std::string(arg.substr(0, equals));
      value = std::string(arg.substr(equals + 1));
    } else if (i + 1 < argc) {
      name = std::string(arg);
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--", arg, " needs a value"));
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    flags[name] = value;
  }
  return flags;
}

absl::StatusOr<AuditCommand> ParseCommand(int argc, char** argv) {
  if (argc < 2) return absl::InvalidArgumentError("missing subcommand");
  AuditCommand command;
  command.subcommand = argv[1];
  std::vector<std::string> allowed = {"tenant", "pg_url"};
  if (command.subcommand == "verify") {
    allowed.insert(allowed.end(), {"start_sequence", "end_sequence"});
  } else if (command.subcommand != "export") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown subcommand ", command.subcommand));
  }
  absl::StatusOr<std::map<std::string, std::string>> flags =
      ParseFlags(argc, argv, 2, allowed);
  if (!flags.ok()) return flags.status();

  command.tenant = (*flags)["tenant"];
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("--tenant", absl::StrCat("tenants/", command.tenant));
  if (command.tenant.empty() || !tenant.ok()) {
    return absl::InvalidArgumentError(
        "--tenant: required, a tenant id such as fr");
  }
  command.pg_url = (*flags)["pg_url"];
  if (command.pg_url.empty()) {
    const char* from_environment = std::getenv("AGORA_PG_URL");
    command.pg_url = from_environment != nullptr && *from_environment != '\0'
                         ? from_environment
                         : kDefaultPgUrl;
  }
  if (flags->count("start_sequence") != 0 &&
      (!absl::SimpleAtoi((*flags)["start_sequence"], &command.start_sequence) ||
       command.start_sequence < 1)) {
    return absl::InvalidArgumentError("--start_sequence: 1 or more");
  }
  if (flags->count("end_sequence") != 0 &&
      (!absl::SimpleAtoi((*flags)["end_sequence"], &command.end_sequence) ||
       command.end_sequence < 0 ||
       (command.end_sequence != 0 &&
        command.end_sequence < command.start_sequence))) {
    return absl::InvalidArgumentError(
        "--end_sequence: 0 (the latest) or not before --start_sequence");
  }
  return command;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // `valid: false` and zero counts are the point of the answer.
  options.always_print_primitive_fields = true;
  std::string json;
  if (absl::Status s = status::FromProtobufStatus(
          google::protobuf::util::MessageToJsonString(message, &json, options));
      !s.ok()) {
    return s;
  }
  return json;
}

int Verify(pg::ConnectionPool& pool, const AuditCommand& command,
           std::ostream& out, std::ostream& err) {
  v1::AuditVerification verification;
  absl::Status done = pg::RunTransaction(
      pool,
      [&](pqxx::transaction_base& tx) {
        absl::StatusOr<v1::AuditVerification> verified = VerifyAuditChain(
            tx, command.tenant, command.start_sequence, command.end_sequence);
        if (!verified.ok()) return verified.status();
        verification = *std::move(verified);
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!done.ok()) {
    err << "agora-moderation audit verify: " << done << "\n";
    return kUsageOrFailure;
  }
  absl::StatusOr<std::string> json = ToJson(verification);
  if (!json.ok()) {
    err << "agora-moderation audit verify: " << json.status() << "\n";
    return kUsageOrFailure;
  }
  out << *json << "\n";
  return verification.valid() ? 0 : kChainBroken;
}

// Entries are written as they are read, a page at a time, from one
// snapshot: the export is a consistent prefix of the chain.
int Export(pg::ConnectionPool& pool, const AuditCommand& command,
           std::ostream& out, std::ostream& err) {
  int64_t exported = 0;
  absl::Status done = pg::RunTransaction(
      pool,
      [&](pqxx::transaction_base& tx) {
        if (exported > 0) {
          return absl::AbortedError(
              "the database failed after part of the export was written");
        }
        for (int64_t next = 1;;) {
          const std::vector<v1::AuditEntry> page =
              ReadAuditEntries(tx, command.tenant, next, 0, kExportPage);
          for (const v1::AuditEntry& entry : page) {
            absl::StatusOr<std::string> json = ToJson(entry);
            if (!json.ok()) return json.status();
            out << *json << "\n";
            ++exported;
            next = entry.sequence() + 1;
          }
          if (static_cast<int>(page.size()) < kExportPage) break;
        }
        out.flush();
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!done.ok()) {
    err << "agora-moderation audit export: " << done << "\n";
    return kUsageOrFailure;
  }
  return 0;
}

}  // namespace

int RunAuditCommand(int argc, char** argv) {
  return RunAuditCommand(argc, argv, std::cout, std::cerr);
}

int RunAuditCommand(int argc, char** argv, std::ostream& out,
                    std::ostream& err) {
  absl::StatusOr<AuditCommand> command = ParseCommand(argc, argv);
  if (!command.ok()) {
    err << "agora-moderation audit: " << command.status().message() << "\n"
        << kUsage;
    return kUsageOrFailure;
  }
  pg::ConnectionPool pool(
      {.conninfo = pg::WithSearchPath(command->pg_url, "moderation"),
       .max_size = 1});
  // Actions committed before the command are part of what it reads.
  if (absl::StatusOr<int64_t> sealed = SealAuditChain(pool, command->tenant);
      !sealed.ok()) {
    err << "agora-moderation audit " << command->subcommand << ": "
        << sealed.status() << "\n";
    return kUsageOrFailure;
  }
  return command->subcommand == "verify" ? Verify(pool, *command, out, err)
                                         : Export(pool, *command, out, err);
}

}  // namespace agora::moderation
