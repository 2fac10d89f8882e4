#include "tests/harness/test_redis.h"

#include "absl/strings/str_cat.h"
#include "tests/harness/test_environment.h"

namespace agora::testing {

TestRedis::TestRedis()
    : options_(*redis::ParseAddress(RedisAddress())),
      prefix_(absl::StrCat("t", RandomName())) {}

TestRedis::~TestRedis() {
  redis::RedisClient client(options_);
  std::string cursor = "0";
  do {
    absl::StatusOr<redis::Reply> reply =
        client.Run({"SCAN", cursor, "MATCH", absl::StrCat(prefix_, ":*"),
                    "COUNT", "1000"});
    if (!reply.ok() || reply->elements.size() != 2) return;
    cursor = reply->elements[0].text;
    redis::Command del = {"DEL"};
    for (const redis::Reply& key : reply->elements[1].elements) {
      del.push_back(key.text);
    }
    if (del.size() > 1) (void)client.Run(del);
  } while (cursor != "0");
}

}  // namespace agora::testing
