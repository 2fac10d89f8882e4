#include "libs/logging/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace agora::logging {
namespace {

TEST(LogTest, LinesAreOneJsonObjectWithTypedFields) {
  const std::string line = FormatLine(
      Level::kWarn, "content", "pool exhausted",
      {{"pool", "pg"}, {"waited_ms", 2000}, {"ratio", 0.5}, {"retry", true}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["level"], "warn");
  EXPECT_EQ(parsed["service"], "content");
  EXPECT_EQ(parsed["msg"], "pool exhausted");
  EXPECT_EQ(parsed["pool"], "pg");
  EXPECT_EQ(parsed["waited_ms"], 2000);
  EXPECT_EQ(parsed["ratio"], 0.5);
  EXPECT_EQ(parsed["retry"], true);
  EXPECT_EQ(parsed["ts"].get<std::string>().size(),
            24u);  // 2026-11-22T07:16:23.123Z
}

TEST(LogTest, HostileTextCannotForgeLinesOrFields) {
  const std::string line =
      FormatLine(Level::kInfo, "x", "a\n{\"level\":\"error\"}",
                 {{"bad", std::string("\xff\xfe", 2)}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["msg"], "a\n{\"level\":\"error\"}");
}

}  // namespace
}  // namespace agora::logging
