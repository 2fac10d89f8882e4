#include "libs/config/secret.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace agora::config {
namespace {

TEST(SecretTest, ReadsFilesWithoutTrailingNewline) {
  const std::string path = ::testing::TempDir() + "/agora-secret";
  std::ofstream(path) << "s3cret\n";
  absl::StatusOr<std::string> secret = ReadSecret("file:" + path);
  std::remove(path.c_str());
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "s3cret");
}

TEST(SecretTest, ReadsEnvironmentVariables) {
  setenv("AGORA_TEST_SECRET", "from-env", 1);
  EXPECT_EQ(*ReadSecret("env:AGORA_TEST_SECRET"), "from-env");
  unsetenv("AGORA_TEST_SECRET");
  EXPECT_EQ(ReadSecret("env:AGORA_TEST_SECRET").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(SecretTest, LiteralAndMissingSecretsAreRefused) {
  EXPECT_EQ(ReadSecret("hunter2").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadSecret("file:/nonexistent/secret").status().code(),
            absl::StatusCode::kNotFound);
  const std::string path = ::testing::TempDir() + "/agora-empty-secret";
  std::ofstream(path) << "\n";
  EXPECT_EQ(ReadSecret("file:" + path).status().code(),
            absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace agora::config
