// The test service as a process, run by server_test and the Python interop
// test: SERVING only while the PostgreSQL and Redis it is given answer.
#include "absl/flags/flag.h"
#include "libs/config/flags.h"
#include "libs/logging/log.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/server/server_flags.h"
#include "libs/server/service_runner.h"
#include "tests/libs/server/echo_service.h"

ABSL_FLAG(std::string, pg_url, "", "PostgreSQL URL");
ABSL_FLAG(std::string, redis_address, "", "Redis host:port");

int main(int argc, char** argv) {
  agora::config::ParseFlags(argc, argv,
                            "echo_server: the libs/server test service");
  agora::logging::Init("echo", agora::server::LogLevelFlag());
  agora::server::ServiceRunner runner(
      "echo", agora::server::ServerOptionsFromFlags(50099));
  agora::pg::ConnectionPool pool({.conninfo = absl::GetFlag(FLAGS_pg_url),
                                  .max_size = 2,
                                  .acquire_timeout = absl::Milliseconds(500)});
  absl::StatusOr<agora::redis::RedisOptions> redis_options =
      agora::redis::ParseAddress(absl::GetFlag(FLAGS_redis_address));
  if (!redis_options.ok()) return 2;
  redis_options->connect_timeout = absl::Milliseconds(200);
  redis_options->max_backoff = absl::Milliseconds(200);
  agora::redis::RedisClient redis(*redis_options);
  agora::testing::EchoService echo;
  runner.AddService(&echo);
  runner.AddHealthCheck("postgres", [&pool] { return pool.Ping(); });
  runner.AddHealthCheck("redis", [&redis] { return redis.Ping(); });
  return runner.Run();
}
