#include "libs/redis/client.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/redis/keys.h"
#include "tests/harness/local_servers.h"
#include "tests/harness/test_redis.h"

namespace agora::redis {
namespace {

using ::agora::testing::LocalServer;
using ::agora::testing::TestRedis;

class RedisClientTest : public ::testing::Test {
 protected:
  TestRedis namespace_;
  KeyBuilder keys_{namespace_.prefix()};
  RedisClient client_{namespace_.options()};
};

TEST_F(RedisClientTest, CommandsAreBinarySafe) {
  const std::string key = *keys_.TenantKey("fr", {"blob"});
  const std::string value("a\0b \"%s\r\n", 9);
  ASSERT_TRUE(client_.Run({"SET", key, value}).ok());
  absl::StatusOr<Reply> reply = client_.Run({"GET", key});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->AsString(), value);
  EXPECT_TRUE(
      client_.Run({"GET", *keys_.TenantKey("fr", {"missing"})})->is_nil());
}

TEST_F(RedisClientTest, PipelineKeepsOrderAndReportsPerCommandErrors) {
  const std::string board = *keys_.TenantKey("fr", {"board"});
  const std::string text = *keys_.TenantKey("fr", {"text"});
  std::vector<Command> commands = {
      {"ZADD", board, "3", "a"},
      {"ZADD", board, "7", "b"},
      {"SET", text, "x"},
      {"ZADD", text, "1", "c"},  // WRONGTYPE: an error for this command only
      {"ZREVRANGE", board, "0", "-1", "WITHSCORES"}};
  absl::StatusOr<std::vector<Reply>> replies = client_.Pipeline(commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 5u);
  EXPECT_EQ((*replies)[0].AsInteger(), 1);
  EXPECT_TRUE((*replies)[3].is_error());
  EXPECT_EQ(StatusFromErrorReply((*replies)[3].text).code(),
            absl::StatusCode::kInternal);
  const Reply& range = (*replies)[4];
  ASSERT_EQ(range.elements.size(), 4u);
  EXPECT_EQ(range.elements[0].AsString(), "b");
  EXPECT_EQ(range.elements[1].AsDouble(), 7.0);
}

TEST_F(RedisClientTest, ErrorRepliesBecomeStatuses) {
  const std::string key = *keys_.TenantKey("fr", {"s"});
  ASSERT_TRUE(client_.Run({"SET", key, "x"}).ok());
  EXPECT_EQ(client_.Run({"INCR", key}).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(client_.Run({}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClientTest, LuaScriptRunsBySha1AndReloadsAfterScriptFlush) {
  LuaScript script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  const std::string key = *keys_.TenantKey("fr", {"counter"});
  absl::StatusOr<Reply> first = client_.Eval(script, {key}, {"5"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->AsInteger(), 5);
  // Loaded under its SHA1: EVALSHA now works directly.
  absl::StatusOr<Reply> exists =
      client_.Run({"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->elements.at(0).AsInteger(), 1);
  ASSERT_TRUE(client_.Run({"SCRIPT", "FLUSH"}).ok());
  absl::StatusOr<Reply> second = client_.Eval(script, {key}, {"2"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->AsInteger(), 7);
}

TEST_F(RedisClientTest, ConcurrentCallersShareTheBoundedPool) {
  const std::string key = *keys_.TenantKey("fr", {"hits"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ASSERT_TRUE(client_.Run({"INCR", key}).ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(client_.Run({"GET", key})->AsInteger(), 16 * 50);
  EXPECT_LE(client_.Stats().open, namespace_.options().pool_size);
}

TEST(RedisRecoveryTest, RecoversAfterRedisRestartWithBackoff) {
  LocalServer server(LocalServer::Kind::kRedis);
  ASSERT_TRUE(server.Start().ok());
  absl::StatusOr<RedisOptions> options = ParseAddress(server.redis_address());
  ASSERT_TRUE(options.ok());
  options->max_backoff = absl::Milliseconds(200);
  RedisClient client(*options);
  ASSERT_TRUE(client.Ping().ok());
  ASSERT_TRUE(client.Run({"SET", "agora:{t}:k", "before"}).ok());

  ASSERT_TRUE(server.Stop().ok());
  absl::Status down = client.Ping();
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  // While down, callers fail fast instead of each waiting for a connect.
  const absl::Time start = absl::Now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(client.Ping().code(), absl::StatusCode::kUnavailable);
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));

  ASSERT_TRUE(server.Start().ok());
  absl::Status up = absl::UnavailableError("not yet");
  for (int i = 0; i < 50 && !up.ok(); ++i) {
    up = client.Ping();
    if (!up.ok()) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(up.ok()) << up;
  EXPECT_TRUE(client.Run({"SET", "agora:{t}:k", "after"}).ok());
  EXPECT_GE(client.Stats().connect_failures, 1);
}

TEST(RedisAddressTest, ParsesHostAndPort) {
  absl::StatusOr<RedisOptions> options = ParseAddress("redis.agora:6380");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->host, "redis.agora");
  EXPECT_EQ(options->port, 6380);
  EXPECT_FALSE(ParseAddress("redis").ok());
  EXPECT_FALSE(ParseAddress("redis:0").ok());
  EXPECT_FALSE(ParseAddress(":6379").ok());
}

}  // namespace
}  // namespace agora::redis
