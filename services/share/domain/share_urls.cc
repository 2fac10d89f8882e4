#include "services/share/domain/share_urls.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/share/domain/percent_encoding.h"

namespace agora::share {

absl::string_view NetworkSource(common::v1::ShareNetwork network) {
  switch (network) {
    case common::v1::SHARE_NETWORK_FACEBOOK:
      return "facebook";
    case common::v1::SHARE_NETWORK_X:
      return "x";
    case common::v1::SHARE_NETWORK_LINKEDIN:
      return "linkedin";
    case common::v1::SHARE_NETWORK_WHATSAPP:
      return "whatsapp";
    case common::v1::SHARE_NETWORK_TELEGRAM:
      return "telegram";
    case common::v1::SHARE_NETWORK_EMAIL:
      return "email";
    case common::v1::SHARE_NETWORK_COPY_LINK:
      return "copy_link";
    default:
      return "";
  }
}

std::string CanonicalUrl(const v1::ShareSettings& settings,
                         absl::string_view post) {
  return absl::StrCat(
      settings.public_base_url(),
      absl::StrReplaceAll(settings.post_path_template(), {{"{post}", post}}));
}

std::string TargetUrl(const v1::ShareSettings& settings, absl::string_view post,
                      common::v1::ShareNetwork network,
                      absl::string_view campaign) {
  const std::string canonical = CanonicalUrl(settings, post);
  return absl::StrCat(
      canonical, absl::StrContains(canonical, '?') ? "&" : "?",
      "utm_source=", PercentEncode(NetworkSource(network)),
      "&utm_medium=social&utm_campaign=", PercentEncode(campaign));
}

std::string ShortUrl(const v1::ShareSettings& settings,
                     absl::string_view code) {
  return absl::StrCat(settings.short_link_base_url(), "/s/", code);
}

std::string NetworkShareUrl(common::v1::ShareNetwork network,
                            absl::string_view short_url,
                            absl::string_view title) {
  const std::string url = PercentEncode(short_url);
  const std::string text = PercentEncode(title);
  switch (network) {
    case common::v1::SHARE_NETWORK_FACEBOOK:
      return absl::StrCat("https://www.facebook.com/sharer/sharer.php?u=", url);
    case common::v1::SHARE_NETWORK_X:
      return absl::StrCat("https://x.com/intent/tweet?text=", text,
                          "&url=", url);
    case common::v1::SHARE_NETWORK_LINKEDIN:
      return absl::StrCat(
          "https://www.linkedin.com/sharing/share-offsite/?url=", url);
    case common::v1::SHARE_NETWORK_WHATSAPP:
      return absl::StrCat("https://wa.me/?text=",
                          PercentEncode(absl::StrCat(title, " ", short_url)));
    case common::v1::SHARE_NETWORK_TELEGRAM:
      return absl::StrCat("https://t.me/share/url?url=", url, "&text=", text);
    case common::v1::SHARE_NETWORK_EMAIL:
      return absl::StrCat(
          "mailto:?subject=", text,
          "&body=", PercentEncode(absl::StrCat(title, "\r\n\r\n", short_url)));
    case common::v1::SHARE_NETWORK_COPY_LINK:
      return std::string(short_url);
    default:
      return "";
  }
}

std::string HostOf(absl::string_view url) {
  absl::string_view rest;
  if (absl::StartsWithIgnoreCase(url, "https://")) {
    rest = url.substr(8);
  } else if (absl::StartsWithIgnoreCase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return "";
  }
  const size_t end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, end);
  // "https://allowed.example@evil.example/" goes to evil.example.
  if (absl::StrContains(authority, '@') || absl::StrContains(authority, '\\')) {
    return "";
  }
  if (const size_t colon = authority.rfind(':');
      colon != absl::string_view::npos) {
    for (char c : authority.substr(colon + 1)) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return "";
    }
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return "";
  for (char c : authority) {
    const auto byte = static_cast<unsigned char>(c);
    if (!absl::ascii_isalnum(byte) && c != '-' && c != '.') return "";
  }
  return absl::AsciiStrToLower(authority);
}

bool IsAllowedTarget(const v1::ShareSettings& settings, absl::string_view url) {
  const std::string host = HostOf(url);
  if (host.empty()) return false;
  for (const std::string& allowed : settings.allowed_target_hosts()) {
    if (host == allowed) return true;
  }
  return false;
}

}  // namespace agora::share
