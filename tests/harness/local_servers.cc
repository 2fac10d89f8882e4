#include "tests/harness/local_servers.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "tests/harness/ports.h"

namespace agora::testing {
LocalServer::LocalServer(Kind kind) : kind_(kind), port_(FreePort()) {
  char pattern[] = "/tmp/agora-server-XXXXXX";
  const char* created = mkdtemp(pattern);
  directory_ = created == nullptr ? "" : created;
}

LocalServer::~LocalServer() {
  (void)Stop();
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

absl::Status LocalServer::RunScript(const std::string& arguments) const {
  const std::string command =
      absl::StrCat(AGORA_SERVERS_SCRIPT, " ", arguments, " >/dev/null");
  if (std::system(command.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("failed: servers.sh ", arguments));
  }
  return absl::OkStatus();
}

absl::Status LocalServer::Start() {
  if (directory_.empty() || port_ == 0) {
    return absl::InternalError("no folder or port for the local server");
  }
  return kind_ == Kind::kPostgres
             ? RunScript(absl::StrCat("pg-start ", directory_, "/pg ", port_))
             : RunScript(
                   absl::StrCat("redis-start ", directory_, "/redis ", port_));
}

absl::Status LocalServer::Stop() {
  return kind_ == Kind::kPostgres
             ? RunScript(absl::StrCat("pg-stop ", directory_, "/pg"))
             : RunScript(absl::StrCat("redis-stop ", directory_, "/redis"));
}

std::string LocalServer::postgres_url() const {
  return absl::StrCat("postgresql://agora@127.0.0.1:", port_, "/postgres");
}

std::string LocalServer::redis_address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

}  // namespace agora::testing
