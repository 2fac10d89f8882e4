#include "libs/redis/client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/logging/log.h"

namespace agora::redis {
namespace {

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

Reply Convert(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) {
        reply.elements.push_back(Convert(*raw.element[i]));
      }
      break;
    default:
      reply.type = Reply::Type::kNil;
  }
  return reply;
}

}  // namespace

absl::StatusOr<RedisOptions> ParseAddress(absl::string_view address) {
  std::pair<std::string, std::string> parts =
      absl::StrSplit(address, absl::MaxSplits(':', 1));
  RedisOptions options;
  int port = 0;
  if (parts.first.empty() || !absl::SimpleAtoi(parts.second, &port) ||
      port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address must be host:port, got \"", address, "\""));
  }
  options.host = parts.first;
  options.port = port;
  return options;
}

// One hiredis context. Any I/O error leaves it unusable (hiredis sets err).
class RedisClient::Connection {
 public:
  explicit Connection(ContextPtr context) : context_(std::move(context)) {}

  bool broken() const { return context_->err != 0; }

  absl::Status IoError() const {
    return absl::UnavailableError(
        absl::StrCat("redis unavailable: ", context_->errstr));
  }

  absl::StatusOr<Reply> Run(const Command& command) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    Flatten(command, argv, lengths);
    ReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(context_.get(), static_cast<int>(argv.size()),
                         argv.data(), lengths.data())));
    if (reply == nullptr) return IoError();
    return Convert(*reply);
  }

  absl::StatusOr<std::vector<Reply>> Pipeline(
      absl::Span<const Command> commands) {
    for (const Command& command : commands) {
      std::vector<const char*> argv;
      std::vector<size_t> lengths;
      Flatten(command, argv, lengths);
      if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()),
                                 argv.data(), lengths.data()) != REDIS_OK) {
        return IoError();
      }
    }
    std::vector<Reply> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
        return IoError();
      }
      ReplyPtr reply(static_cast<redisReply*>(raw));
      replies.push_back(Convert(*reply));
    }
    return replies;
  }

 private:
  static void Flatten(const Command& command, std::vector<const char*>& argv,
                      std::vector<size_t>& lengths) {
    argv.reserve(command.size());
    lengths.reserve(command.size());
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
  }

  ContextPtr context_;
};

// A connection on loan; returned to the client (or dropped) when destroyed.
class RedisClient::Lease {
 public:
  Lease(RedisClient* client, std::unique_ptr<Connection> connection)
      : client_(client), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept
      : client_(std::exchange(other.client_, nullptr)),
        connection_(std::move(other.connection_)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (client_ != nullptr && connection_ != nullptr) {
      const bool broken = connection_->broken();
      client_->Return(std::move(connection_), broken);
    }
  }
  Connection* operator->() const { return connection_.get(); }

 private:
  RedisClient* client_;
  std::unique_ptr<Connection> connection_;
};

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {}

RedisClient::~RedisClient() {
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<RedisClient::Connection>>
RedisClient::Connect() {
  ContextPtr context(
      redisConnectWithTimeout(options_.host.c_str(), options_.port,
                              absl::ToTimeval(options_.connect_timeout)));
  if (context == nullptr) return absl::UnavailableError("redis: out of memory");
  if (context->err != 0) {
    return absl::UnavailableError(
        absl::StrCat("redis unavailable at ", options_.host, ":", options_.port,
                     ": ", context->errstr));
  }
  redisSetTimeout(context.get(), absl::ToTimeval(options_.command_timeout));
  auto connection = std::make_unique<Connection>(std::move(context));
  if (!options_.password.empty()) {
    absl::StatusOr<Reply> reply = connection->Run({"AUTH", options_.password});
    if (!reply.ok()) return reply.status();
    if (reply->is_error())
      return absl::PermissionDeniedError("redis: AUTH refused");
  }
  if (options_.database != 0) {
    absl::StatusOr<Reply> reply =
        connection->Run({"SELECT", absl::StrCat(options_.database)});
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) return StatusFromErrorReply(reply->text);
  }
  return connection;
}

absl::StatusOr<RedisClient::Lease> RedisClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available),
                              options_.acquire_timeout)) {
      return absl::UnavailableError(
          absl::StrCat("no redis connection free within ",
                       absl::FormatDuration(options_.acquire_timeout)));
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
    const absl::Time now = absl::Now();
    if (now < next_connect_) {
      return absl::UnavailableError(
          absl::StrCat("redis unavailable; next connection attempt in ",
                       absl::FormatDuration(absl::Trunc(
                           next_connect_ - now, absl::Milliseconds(1)))));
    }
    ++open_;  // reserve the slot; connect outside the lock
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect();
  absl::MutexLock lock(&mu_);
  if (!connection.ok()) {
    --open_;
    ++connect_failures_;
    backoff_ =
        std::clamp(backoff_ * 2, options_.min_backoff, options_.max_backoff);
    next_connect_ = absl::Now() + backoff_;
    return connection.status();
  }
  backoff_ = absl::ZeroDuration();
  next_connect_ = absl::InfinitePast();
  return Lease(this, *std::move(connection));
}

void RedisClient::Return(std::unique_ptr<Connection> connection, bool broken) {
  if (broken) {
    connection.reset();
    absl::MutexLock lock(&mu_);
    --open_;
    ++dropped_;
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(connection));
}

absl::StatusOr<Reply> RedisClient::Run(const Command& command) {
  if (command.empty())
    return absl::InvalidArgumentError("redis: empty command");
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  absl::StatusOr<Reply> reply = (*lease)->Run(command);
  if (reply.ok() && reply->is_error()) return StatusFromErrorReply(reply->text);
  return reply;
}

absl::StatusOr<std::vector<Reply>> RedisClient::Pipeline(
    absl::Span<const Command> commands) {
  if (commands.empty()) return std::vector<Reply>{};
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->Pipeline(commands);
}

absl::StatusOr<Reply> RedisClient::Eval(const LuaScript& script,
                                        absl::Span<const std::string> keys,
                                        absl::Span<const std::string> args) {
  Command command = {"EVALSHA", script.sha1(), absl::StrCat(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  absl::StatusOr<Reply> reply = Run(command);
  if (reply.ok() || reply.status().code() != absl::StatusCode::kNotFound) {
    return reply;
  }
  // NOSCRIPT: Redis restarted or its script cache was flushed. EVAL runs the
  // script and caches it under the same SHA for the next calls.
  command[0] = "EVAL";
  command[1] = script.source();
  return Run(command);
}

absl::StatusOr<std::vector<Reply>> RedisClient::EvalPipeline(
    const LuaScript& script, absl::Span<const ScriptCall> calls) {
  auto command_of = [&script](const ScriptCall& call, bool by_sha) {
    Command command = {by_sha ? "EVALSHA" : "EVAL",
                       by_sha ? script.sha1() : script.source(),
                       absl::StrCat(call.keys.size())};
    command.insert(command.end(), call.keys.begin(), call.keys.end());
    command.insert(command.end(), call.args.begin(), call.args.end());
    return command;
  };
  std::vector<Command> commands;
  commands.reserve(calls.size());
  for (const ScriptCall& call : calls)
    commands.push_back(command_of(call, true));
  absl::StatusOr<std::vector<Reply>> replies = Pipeline(commands);
  if (!replies.ok()) return replies;
  std::vector<size_t> unknown;
  for (size_t i = 0; i < replies->size(); ++i) {
    if ((*replies)[i].is_error() &&
        absl::StartsWith((*replies)[i].text, "NOSCRIPT")) {
      unknown.push_back(i);
    }
  }
  if (unknown.empty()) return replies;
  std::vector<Command> again;
  for (size_t i : unknown) again.push_back(command_of(calls[i], false));
  absl::StatusOr<std::vector<Reply>> retried = Pipeline(again);
  if (!retried.ok()) return retried.status();
  for (size_t i = 0; i < unknown.size(); ++i) {
    (*replies)[unknown[i]] = std::move((*retried)[i]);
  }
  return replies;
}

absl::Status RedisClient::Ping() {
  absl::StatusOr<Reply> reply = Run({"PING"});
  return reply.ok() ? absl::OkStatus() : reply.status();
}

ClientStats RedisClient::Stats() const {
  absl::MutexLock lock(&mu_);
  return ClientStats{open_, static_cast<int>(idle_.size()), connect_failures_,
                     dropped_};
}

}  // namespace agora::redis
