#include "libs/redis/keys.h"

#include <gtest/gtest.h>

namespace agora::redis {
namespace {

TEST(KeyBuilderTest, TenantIsTheHashTag) {
  KeyBuilder keys("agora");
  EXPECT_EQ(*keys.TenantKey("fr", {"leaderboard", "hot", "day", "20261122"}),
            "agora:{fr}:leaderboard:hot:day:20261122");
  EXPECT_EQ(keys.SharedKey("events", {"content"}), "agora:{events}:content");
}

TEST(KeyBuilderTest, TenantsThatWouldBreakTheTagAreRejected) {
  KeyBuilder keys("agora");
  EXPECT_EQ(keys.TenantKey("", {"x"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(keys.TenantKey("f}r", {"x"}).ok());
  EXPECT_FALSE(keys.TenantKey("f{r", {"x"}).ok());
  EXPECT_FALSE(keys.TenantKey("fr:it", {"x"}).ok());
}

}  // namespace
}  // namespace agora::redis
