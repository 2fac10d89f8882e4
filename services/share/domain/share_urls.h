// The URLs the share service builds: a post's canonical URL and its UTM
// target on the tenant's public host, short URLs, and each network's share
// URL with the short URL and the title percent-encoded. Pure functions.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SHARE_URLS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SHARE_URLS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "agora/common/v1/common.pb.h"
#include "agora/share/v1/share.pb.h"

namespace agora::share {

// "facebook", "x", "linkedin", "whatsapp", "telegram", "email",
// "copy_link": the utm_source of each network ("" for unspecified).
absl::string_view NetworkSource(common::v1::ShareNetwork network);

// `public_base_url` + the post path (`{post}` replaced by `post`).
std::string CanonicalUrl(const v1::ShareSettings& settings,
                         absl::string_view post);

// The canonical URL with utm_source (the network), utm_medium=social and
// utm_campaign.
std::string TargetUrl(const v1::ShareSettings& settings, absl::string_view post,
                      common::v1::ShareNetwork network,
                      absl::string_view campaign);

// `short_link_base_url` + "/s/" + code.
std::string ShortUrl(const v1::ShareSettings& settings, absl::string_view code);

// What a member opens to share on `network`: the network's share dialog
// with the short URL and the title, a mailto: URL for e-mail, the short URL
// itself for copy-link.
std::string NetworkShareUrl(common::v1::ShareNetwork network,
                            absl::string_view short_url,
                            absl::string_view title);

// The lower-case host of an absolute http(s) URL ("" when it is not one,
// or carries user information, which could disguise the real host).
std::string HostOf(absl::string_view url);

// True when `url` is https (or http) on one of `settings`'
// allowed_target_hosts: the only URLs a short link ever redirects to.
bool IsAllowedTarget(const v1::ShareSettings& settings, absl::string_view url);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SHARE_URLS_H_
