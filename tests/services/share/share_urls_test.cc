// The pure pieces: percent-encoding, hosts of URLs (the open-redirect
// guard), short codes and the crawler list.
#include "services/share/domain/share_urls.h"

#include <gtest/gtest.h>

#include <set>

#include "services/share/domain/bot_detector.h"
#include "services/share/domain/percent_encoding.h"
#include "services/share/domain/short_code.h"

namespace agora::share {
namespace {

TEST(PercentEncodeTest, EncodesEverythingButUnreserved) {
  EXPECT_EQ(PercentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(PercentEncode("a b+c&d=e/f?g#h%"),
            "a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25");
  EXPECT_EQ(PercentEncode("zażółć"), "za%C5%BC%C3%B3%C5%82%C4%87");
  EXPECT_EQ(PercentEncode("\r\n"), "%0D%0A");
}

TEST(PercentEncodeTest, TruncateNeverCutsACharacter) {
  EXPECT_EQ(TruncateUtf8("idée", 3), "id");
  EXPECT_EQ(TruncateUtf8("idée", 4), "idé");
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
}

TEST(HostOfTest, OnlyTheRealHost) {
  EXPECT_EQ(HostOf("https://FR.Agora.example/posts/1"), "fr.agora.example");
  EXPECT_EQ(HostOf("https://fr.agora.example:8443?x"), "fr.agora.example");
  EXPECT_EQ(HostOf("http://localhost:8080"), "localhost");
  EXPECT_EQ(HostOf("https://fr.agora.example@evil.example/"), "");
  EXPECT_EQ(HostOf("https://evil.example\\@fr.agora.example/"), "");
  EXPECT_EQ(HostOf("//evil.example/"), "");
  EXPECT_EQ(HostOf("javascript:alert(1)"), "");
  EXPECT_EQ(HostOf("https://host:port/"), "");
  EXPECT_EQ(HostOf("https:///path"), "");
  EXPECT_EQ(HostOf("ftp://fr.agora.example/"), "");
}

TEST(ShortCodeTest, RandomTenCharactersOfBase62) {
  std::set<std::string> codes;
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<std::string> code = NewShortCode();
    ASSERT_TRUE(code.ok());
    EXPECT_TRUE(IsShortCode(*code)) << *code;
    codes.insert(*code);
  }
  EXPECT_EQ(codes.size(), 1000u);
  EXPECT_FALSE(IsShortCode("abcdefghi"));
  EXPECT_FALSE(IsShortCode("abcdefghijk"));
  EXPECT_FALSE(IsShortCode("abcde_ghij"));
  EXPECT_FALSE(IsShortCode("abcde/ghij"));
  EXPECT_TRUE(IsShortCode("Ab3De6Gh9J"));
}

TEST(BotDetectorTest, CrawlersAndLibrariesButNotBrowsers) {
  for (const char* bot :
       {"facebookexternalhit/1.1", "Mozilla/5.0 (compatible; Googlebot/2.1)",
        "Twitterbot/1.0", "LinkedInBot/1.0 (compatible; Mozilla/5.0)",
        "WhatsApp/2.23.20.0", "TelegramBot (like TwitterBot)",
        "Slackbot-LinkExpanding 1.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0)", "curl/8.4.0",
        "python-requests/2.31", "", "   "}) {
    EXPECT_TRUE(IsBotUserAgent(bot)) << bot;
  }
  for (const char* person :
       {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 "
        "Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
        "Firefox/120.0"}) {
    EXPECT_FALSE(IsBotUserAgent(person)) << person;
  }
}

TEST(ShareUrlsTest, TargetsCarryUtmAndStayOnTheTenantsHost) {
  v1::ShareSettings settings;
  settings.set_public_base_url("https://fr.agora.example");
  settings.set_post_path_template("/idees/{post}?vue=complete");
  settings.add_allowed_target_hosts("fr.agora.example");
  const std::string target = TargetUrl(
      settings, "p1", common::v1::SHARE_NETWORK_LINKEDIN, "printemps");
  EXPECT_EQ(target,
            "https://fr.agora.example/idees/p1?vue=complete&utm_source="
            "linkedin&utm_medium=social&utm_campaign=printemps");
  EXPECT_TRUE(IsAllowedTarget(settings, target));
  EXPECT_FALSE(IsAllowedTarget(settings, "https://evil.example/"));
}

}  // namespace
}  // namespace agora::share
