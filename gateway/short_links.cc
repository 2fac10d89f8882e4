#include "gateway/short_links.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace agora::gateway {
namespace {

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string StringOf(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

bool IsShortCode(absl::string_view code) {
  return !code.empty() && code.size() <= 64 &&
         std::all_of(code.begin(), code.end(),
                     [](char c) { return absl::ascii_isalnum(c); });
}

std::string VisitorKey(absl::string_view secret, absl::string_view address,
                       absl::string_view user_agent) {
  const std::string input = absl::StrCat(address, "\n", user_agent);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       digest, &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string RefererHost(absl::string_view referer) {
  absl::string_view rest = referer;
  if (!absl::ConsumePrefix(&rest, "https://") &&
      !absl::ConsumePrefix(&rest, "http://")) {
    return "";
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != absl::string_view::npos) {
    rest = rest.substr(at + 1);
  }
  if (rest.find('[') == absl::string_view::npos) {
    rest = rest.substr(0, rest.find(':'));
  }
  if (rest.empty() || rest.size() > 253) return "";
  for (char c : rest) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '-' && c != '[' &&
        c != ']' && c != ':') {
      return "";
    }
  }
  return absl::AsciiStrToLower(rest);
}

bool IsSafeRedirectUrl(absl::string_view url) {
  if (url.size() > 2048) return false;
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "https://") &&
      !absl::ConsumePrefix(&rest, "http://")) {
    return false;
  }
  const absl::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != absl::string_view::npos ||
      host.find('\\') != absl::string_view::npos) {
    return false;
  }
  for (char c : url) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '<' || c == '>' ||
        c == '\\') {
      return false;
    }
  }
  return true;
}

std::string PreviewPage(const nlohmann::json& preview,
                        absl::string_view redirect_url) {
  const std::string title = StringOf(preview, "title");
  std::string page = absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>",
      HtmlEscape(title), "</title>\n");
  auto meta = [&](absl::string_view attribute, absl::string_view name,
                  const std::string& value) {
    if (value.empty()) return;
    absl::StrAppend(&page, "<meta ", attribute, "=\"", name, "\" content=\"",
                    HtmlEscape(value), "\">\n");
  };
  meta("property", "og:title", title);
  meta("property", "og:description", StringOf(preview, "description"));
  meta("property", "og:type", StringOf(preview, "ogType"));
  meta("property", "og:url", StringOf(preview, "canonicalUrl"));
  meta("property", "og:site_name", StringOf(preview, "siteName"));
  meta("property", "og:locale", StringOf(preview, "locale"));
  const std::string image = StringOf(preview, "imageUri");
  if (IsSafeRedirectUrl(image)) {
    meta("property", "og:image", image);
    meta("name", "twitter:image", image);
  }
  meta("property", "og:image:alt", StringOf(preview, "imageAlt"));
  meta("property", "article:published_time", StringOf(preview, "publishTime"));
  meta("property", "article:author", StringOf(preview, "authorDisplayName"));
  meta("name", "twitter:card", StringOf(preview, "twitterCard"));
  meta("name", "twitter:site", StringOf(preview, "twitterSite"));
  meta("name", "twitter:title", title);
  meta("name", "twitter:description", StringOf(preview, "description"));
  const std::string canonical = StringOf(preview, "canonicalUrl");
  if (IsSafeRedirectUrl(canonical)) {
    absl::StrAppend(&page, "<link rel=\"canonical\" href=\"",
                    HtmlEscape(canonical), "\">\n");
  }
  absl::StrAppend(&page, "</head><body><h1>", HtmlEscape(title), "</h1>\n<p>",
                  HtmlEscape(StringOf(preview, "description")), "</p>\n");
  if (IsSafeRedirectUrl(redirect_url)) {
    absl::StrAppend(&page, "<p><a href=\"", HtmlEscape(redirect_url), "\">",
                    HtmlEscape(redirect_url), "</a></p>\n");
  }
  absl::StrAppend(&page, "</body></html>\n");
  return page;
}

void SetHtmlSecurityHeaders(HttpResponse& response) {
  response.SetHeader("content-security-policy",
                     "default-src 'none'; img-src https:; style-src "
                     "'unsafe-inline'; base-uri 'none'; form-action 'none'; "
                     "frame-ancestors 'none'");
  response.SetHeader("x-content-type-options", "nosniff");
  response.SetHeader("x-frame-options", "DENY");
  response.SetHeader("referrer-policy", "no-referrer");
}

absl::StatusOr<std::string> ServiceTokens::TokenFor(absl::string_view tenant) {
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = tokens_.find(tenant);
    // Renewed a minute early: the call it is for must not carry an expired
    // token, whatever the clocks say.
    if (it != tokens_.end() && it->second.expires_at - absl::Minutes(1) > now) {
      return it->second.token;
    }
    auto failed = failures_.find(tenant);
    if (failed != failures_.end() && failed->second.until > now) {
      return failed->second.status;
    }
  }
  absl::StatusOr<IssuedToken> issued = issue_(tenant);
  absl::MutexLock lock(&mu_);
  if (!issued.ok()) {
    if (failures_.size() > 10000) failures_.clear();
    failures_[std::string(tenant)] = {issued.status(), now + absl::Seconds(5)};
    return issued.status();
  }
  failures_.erase(tenant);
  if (tokens_.size() > 10000) tokens_.clear();
  tokens_[std::string(tenant)] = *issued;
  return issued->token;
}

}  // namespace agora::gateway
