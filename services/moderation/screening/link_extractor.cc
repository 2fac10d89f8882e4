#include "services/moderation/screening/link_extractor.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {
namespace {

// Sorted.
constexpr absl::string_view kTopLevelDomains[] = {
    "ai",  "al",   "app", "at",    "bank", "be",  "bg",  "biz",  "ca",
    "cc",  "cf",   "ch",  "click", "club", "cn",  "co",  "com",  "cy",
    "cz",  "de",   "dev", "dk",    "ee",   "es",  "eu",  "fi",   "fr",
    "ga",  "gq",   "gr",  "hr",    "hu",   "icu", "ie",  "info", "io",
    "is",  "it",   "li",  "link",  "live", "lt",  "lu",  "lv",   "ly",
    "mc",  "me",   "ml",  "mobi",  "mt",   "net", "nl",  "no",   "online",
    "org", "page", "pl",  "pro",   "pt",   "ro",  "ru",  "se",   "shop",
    "si",  "site", "sk",  "store", "tk",   "to",  "top", "tv",   "uk",
    "us",  "vip",  "win", "work",  "xyz",
};

bool IsHostCharacter(char c) {
  return IsAsciiAlnum(c) || c == '-' || c == '.' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// A URL's path, query and fragment run to the next white space, minus
// closing punctuation that belongs to the sentence.
size_t PathEnd(absl::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] != ' ' && text[pos] != '\n' &&
         text[pos] != '"' && text[pos] != '<' && text[pos] != '>') {
    ++pos;
  }
  while (pos > 0 && absl::string_view(".,;:!?)]}'").find(text[pos - 1]) !=
                        absl::string_view::npos) {
    --pos;
  }
  return pos;
}

// The end of the host starting at `pos`, without a trailing dot or dash.
size_t HostEnd(absl::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && IsHostCharacter(text[end])) ++end;
  while (end > pos && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  return end;
}

// The link whose host starts at `host_begin` and which starts at `begin`.
Link MakeLink(absl::string_view text, size_t begin, size_t host_begin,
              size_t host_end) {
  Link link;
  link.begin = begin;
  link.host_begin = host_begin;
  link.host_end = host_end;
  link.end = host_end;
  if (host_end < text.size() &&
      (text[host_end] == '/' || text[host_end] == ':' ||
       text[host_end] == '?' || text[host_end] == '#')) {
    link.end = std::max(host_end, PathEnd(text, host_end));
  }
  return link;
}

// The bare domain whose top-level domain follows the dot at `dot`, or a
// link with host_end == 0 when there is none.
Link BareDomainAt(absl::string_view text, size_t dot) {
  const size_t tld = dot + 1;
  size_t tld_end = tld;
  while (tld_end < text.size() && IsAsciiLower(text[tld_end])) ++tld_end;
  if (tld_end == tld ||
      !IsCommonTopLevelDomain(text.substr(tld, tld_end - tld))) {
    return Link{};
  }
  if (tld_end < text.size() &&
      (IsAsciiAlnum(text[tld_end]) || text[tld_end] == '-' ||
       text[tld_end] == '@' ||
       static_cast<unsigned char>(text[tld_end]) >= 0x80)) {
    return Link{};
  }
  // "bnpparibas.fr.login.xyz": the host goes on; its last label decides.
  if (tld_end + 1 < text.size() && text[tld_end] == '.' &&
      IsAsciiAlnum(text[tld_end + 1])) {
    return Link{};
  }
  size_t begin = dot;
  while (begin > 0 && IsHostCharacter(text[begin - 1])) --begin;
  while (begin < dot && (text[begin] == '.' || text[begin] == '-')) ++begin;
  if (begin == dot) return Link{};
  if (begin > 0 && (text[begin - 1] == '@' || text[begin - 1] == '/')) {
    return Link{};  // an e-mail domain, or a path
  }
  // The label before the top-level domain must hold a letter: "3.fr" and
  // "1.com" are not links.
  bool letter = false;
  for (size_t i = begin; i < dot; ++i) {
    letter = letter || IsAsciiLower(text[i]) ||
             static_cast<unsigned char>(text[i]) >= 0x80;
  }
  if (!letter) return Link{};
  return MakeLink(text, begin, begin, tld_end);
}

}  // namespace

bool IsCommonTopLevelDomain(absl::string_view label) {
  return std::binary_search(std::begin(kTopLevelDomains),
                            std::end(kTopLevelDomains), label);
}

void FindLinks(const TextTokens& text, std::vector<Link>* out) {
  const absl::string_view folded = text.text();
  size_t links_end = 0;  // links never overlap
  for (const Token& token : text.tokens()) {
    if (token.begin < links_end) continue;
    const absl::string_view word = text.TokenText(token);
    Link link;
    if ((word == "http" || word == "https") &&
        folded.substr(token.end, 3) == "://" &&
        !IsWordBefore(folded, token.begin)) {
      const size_t host_begin = token.end + 3;
      const size_t host_end = HostEnd(folded, host_begin);
      if (host_end > host_begin) {
        link = MakeLink(folded, token.begin, host_begin, host_end);
      }
    } else if (word == "www" && folded.substr(token.end, 1) == "." &&
               !IsWordBefore(folded, token.begin)) {
      const size_t host_end = HostEnd(folded, token.begin);
      if (host_end > token.begin + 4) {
        link = MakeLink(folded, token.begin, token.begin, host_end);
      }
    } else if (token.begin > 0 && folded[token.begin - 1] == '.' &&
               IsCommonTopLevelDomain(word)) {
      // This token ends a bare domain ("exemple.fr").
      link = BareDomainAt(folded, token.begin - 1);
      if (link.begin < links_end) link = Link{};
    }
    if (link.host_end == 0) continue;
    out->push_back(link);
    links_end = link.end;
  }
}

}  // namespace agora::moderation::screening
