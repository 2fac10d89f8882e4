// Bots and link-preview crawlers, recognised by their User-Agent: their
// clicks are counted apart and never as visitors. One RE2 alternation of
// known crawler markers, compiled once (linear time, no backtracking).
#ifndef AGORA_SERVICES_SHARE_DOMAIN_BOT_DETECTOR_H_
#define AGORA_SERVICES_SHARE_DOMAIN_BOT_DETECTOR_H_

#include "absl/strings/string_view.h"

namespace agora::share {

// True for an empty user agent, a generic bot/crawler/spider marker, the
// preview fetchers of the networks Agora shares to (facebookexternalhit,
// Twitterbot, LinkedInBot, WhatsApp, TelegramBot, Slackbot, Discordbot ...)
// and HTTP libraries (curl, wget, python-requests ...).
bool IsBotUserAgent(absl::string_view user_agent);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_BOT_DETECTOR_H_
