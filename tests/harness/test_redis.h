// A Redis namespace of a test's own on the shared test server: a unique key
// prefix for KeyBuilder, and the keys under it deleted when the object goes.
#ifndef AGORA_TESTS_HARNESS_TEST_REDIS_H_
#define AGORA_TESTS_HARNESS_TEST_REDIS_H_

#include <string>

#include "libs/redis/client.h"

namespace agora::testing {

class TestRedis {
 public:
  TestRedis();
  TestRedis(const TestRedis&) = delete;
  TestRedis& operator=(const TestRedis&) = delete;
  ~TestRedis();

  // Options pointing at the test server.
  const redis::RedisOptions& options() const { return options_; }
  // A prefix no other test uses, e.g. "t3f9a1c0b2d4e".
  const std::string& prefix() const { return prefix_; }

 private:
  redis::RedisOptions options_;
  std::string prefix_;
};

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_TEST_REDIS_H_
