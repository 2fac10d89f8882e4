// A thread-safe Redis client: a bounded pool of hiredis connections (a
// redisContext is not thread-safe), binary-safe commands as argument vectors
// (no format strings, so no injection), pipelines, and Lua scripts by SHA.
// A connection that fails is dropped; new connections are attempted with
// exponential back-off, so a Redis outage costs callers a fast UNAVAILABLE
// rather than a connect timeout each, and the client recovers by itself once
// Redis is back.
#ifndef AGORA_LIBS_REDIS_CLIENT_H_
#define AGORA_LIBS_REDIS_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "libs/redis/lua_script.h"
#include "libs/redis/reply.h"

namespace agora::redis {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string
      password;       // AUTH when non-empty (read it with config::ReadSecret)
  int database = 0;   // SELECT when non-zero
  int pool_size = 8;  // most connections open at once (1-1000)
  absl::Duration connect_timeout = absl::Milliseconds(500);
  absl::Duration command_timeout = absl::Seconds(1);
  absl::Duration acquire_timeout = absl::Seconds(1);
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
};

// "host:port" -> options with that address (INVALID_ARGUMENT otherwise).
absl::StatusOr<RedisOptions> ParseAddress(absl::string_view address);

using Command = std::vector<std::string>;

struct ClientStats {
  int open = 0;
  int idle = 0;
  int64_t connect_failures = 0;
  int64_t dropped = 0;
};

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;
  ~RedisClient();

  // One command, e.g. {"ZADD", key, "1.5", member}. An error reply comes back
  // as its status (see StatusFromErrorReply); I/O failures as UNAVAILABLE.
  absl::StatusOr<Reply> Run(const Command& command);

  // Several commands in one round trip. Replies in order; an error reply of
  // one command is returned as a Reply of type kError, not as a failure of
  // the whole pipeline. UNAVAILABLE when the connection fails.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      absl::Span<const Command> commands);

  // EVALSHA, loading the script when Redis does not know it (NOSCRIPT).
  absl::StatusOr<Reply> Eval(const LuaScript& script,
                             absl::Span<const std::string> keys,
                             absl::Span<const std::string> args);

  // One script over several key/argument sets in one round trip (EVALSHA in
  // a pipeline); calls Redis no longer knows the script for (NOSCRIPT) are
  // run again with EVAL. Replies in order, error replies as kError Replies.
  struct ScriptCall {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  absl::StatusOr<std::vector<Reply>> EvalPipeline(
      const LuaScript& script, absl::Span<const ScriptCall> calls);

  // PING: the readiness check.
  absl::Status Ping();

  ClientStats Stats() const;

 private:
  class Connection;
  class Lease;

  absl::StatusOr<Lease> Acquire();
  absl::StatusOr<std::unique_ptr<Connection>> Connect();
  void Return(std::unique_ptr<Connection> connection, bool broken);

  const RedisOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time next_connect_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  int64_t connect_failures_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace agora::redis

#endif  // AGORA_LIBS_REDIS_CLIENT_H_
