#include "services/share/domain/bot_detector.h"

#include <re2/re2.h>

#include "absl/strings/ascii.h"

namespace agora::share {
namespace {

RE2::Options CaseInsensitive() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  return options;
}

const RE2& BotPattern() {
  static const RE2 pattern(
      "bot\\b|bot/|crawl|spider|slurp|facebookexternalhit|facebookcatalog|"
      "twitterbot|linkedinbot|whatsapp|telegrambot|slackbot|slack-imgproxy|"
      "discordbot|skypeuripreview|embedly|pinterest|redditbot|applebot|"
      "googlebot|google-inspectiontool|bingbot|bingpreview|yandex|"
      "baiduspider|duckduckbot|ahrefs|semrush|mj12bot|petalbot|bytespider|"
      "gptbot|headlesschrome|phantomjs|lighthouse|curl/|wget/|"
      "python-requests|python-urllib|go-http-client|okhttp|java/|"
      "libwww-perl|httpclient|axios/|node-fetch|preview",
      CaseInsensitive());
  return pattern;
}

}  // namespace

bool IsBotUserAgent(absl::string_view user_agent) {
  if (absl::StripAsciiWhitespace(user_agent).empty()) return true;
  return RE2::PartialMatch(
      re2::StringPiece(user_agent.data(), user_agent.size()), BotPattern());
}

}  // namespace agora::share
