// Private PostgreSQL and Redis servers for tests that stop or restart them
// (recovery tests must not disturb the servers other tests share). Started
// with deploy/lib/servers.sh, the same script tests/run and deploy/up use.
#ifndef AGORA_TESTS_HARNESS_LOCAL_SERVERS_H_
#define AGORA_TESTS_HARNESS_LOCAL_SERVERS_H_

#include <string>

#include "absl/status/status.h"

namespace agora::testing {

class LocalServer {
 public:
  enum class Kind { kPostgres, kRedis };

  explicit LocalServer(Kind kind);
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;
  ~LocalServer();  // stops the server and deletes its folder

  absl::Status Start();
  absl::Status Stop();
  absl::Status Restart() {
    absl::Status stopped = Stop();
    return stopped.ok() ? Start() : stopped;
  }

  int port() const { return port_; }
  // PostgreSQL: URL of database "postgres" (user agora, trust auth).
  std::string postgres_url() const;
  // Redis: "127.0.0.1:<port>".
  std::string redis_address() const;

 private:
  absl::Status RunScript(const std::string& arguments) const;

  Kind kind_;
  std::string directory_;
  int port_ = 0;
};

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_LOCAL_SERVERS_H_
