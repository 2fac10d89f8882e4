#include "libs/config/flags.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/flags/flag.h"

ABSL_FLAG(int, config_test_port, 50052, "test flag");
ABSL_FLAG(std::string, config_test_name, "default", "test flag");

namespace agora::config {
namespace {

TEST(FlagsTest, EnvironmentVariableNames) {
  EXPECT_EQ(EnvironmentVariableFor("metrics_port"), "AGORA_METRICS_PORT");
}

TEST(FlagsTest, EnvironmentOverridesDefaultsAndCommandLineWins) {
  setenv("AGORA_CONFIG_TEST_PORT", "6000", 1);
  setenv("AGORA_CONFIG_TEST_NAME", "from-env", 1);
  char program[] = "test";
  char flag[] = "--config_test_name=from-argv";
  char* argv[] = {program, flag};
  ParseFlags(2, argv, "test");
  EXPECT_EQ(absl::GetFlag(FLAGS_config_test_port), 6000);
  EXPECT_EQ(absl::GetFlag(FLAGS_config_test_name), "from-argv");
  unsetenv("AGORA_CONFIG_TEST_PORT");
  unsetenv("AGORA_CONFIG_TEST_NAME");
}

TEST(FlagsTest, MalformedEnvironmentValueIsAnErrorNamingTheVariable) {
  setenv("AGORA_CONFIG_TEST_PORT", "not-a-number", 1);
  absl::Status status = ApplyEnvironmentOverrides();
  unsetenv("AGORA_CONFIG_TEST_PORT");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("AGORA_CONFIG_TEST_PORT"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace agora::config
