#include "libs/auth/base64url.h"

#include <string>

#include "gtest/gtest.h"

namespace agora::auth {
namespace {

TEST(Base64UrlTest, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  // 0xfb 0xff encodes to "+/8=" in plain base64.
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t length = 0; length <= bytes.size(); length += 37) {
    const std::string prefix = bytes.substr(0, length);
    absl::StatusOr<std::string> decoded =
        Base64UrlDecode(Base64UrlEncode(prefix));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, prefix);
  }
}

TEST(Base64UrlTest, RejectsPaddingAndForeignCharacters) {
  for (const char* text :
       {"Zg==", "Zm8=", "+/8", "Zm 9v", "Zm9v\n", "Zm9v.", "Zm9v%3D"}) {
    absl::StatusOr<std::string> decoded = Base64UrlDecode(text);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(Base64UrlTest, RejectsImpossibleLength) {
  EXPECT_FALSE(Base64UrlDecode("Z").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());
}

TEST(Base64UrlTest, RejectsNonCanonicalTrailingBits) {
  // "Zg" is "f"; "Zh" carries the same byte with a non-zero unused bit, so
  // accepting it would give one value two spellings.
  ASSERT_TRUE(Base64UrlDecode("Zg").ok());
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());
}

TEST(Base64UrlTest, ErrorNeverRepeatsInput) {
  absl::StatusOr<std::string> decoded = Base64UrlDecode("secret!value");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace agora::auth
