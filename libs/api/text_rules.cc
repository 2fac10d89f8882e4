#include "libs/api/text_rules.h"

#include <unicode/utf8.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace agora::api {

int CodePointCount(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int count = 0;
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return -1;
    ++count;
  }
  return count;
}

absl::Status ValidateText(absl::string_view field, absl::string_view text,
                          int min, int max, bool multiline) {
  const int count = text.size() > static_cast<size_t>(4 * max) + 4
                        ? max + 1
                        : CodePointCount(text);
  if (count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be valid UTF-8"));
  }
  if (count < min || count > max) {
    return absl::InvalidArgumentError(
        min == 0
            ? absl::StrCat(field, ": at most ", max, " characters")
            : absl::StrCat(field, ": must be ", min, "-", max, " characters"));
  }
  for (unsigned char c : text) {
    if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) ||
        c == 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must not contain control characters"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateHttpsUrl(absl::string_view field, absl::string_view url,
                              int max, bool optional) {
  if (url.empty() && optional) return absl::OkStatus();
  const auto bad = [&](absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
  };
  if (url.size() > static_cast<size_t>(max)) {
    return bad(absl::StrCat("at most ", max, " characters"));
  }
  if (!absl::StartsWithIgnoreCase(url, "https://")) {
    return bad("must be an https:// URL");
  }
  const absl::string_view rest = url.substr(8);
  const size_t host_end = rest.find_first_of("/?#");
  const absl::string_view authority = rest.substr(0, host_end);
  if (authority.empty() || absl::StrContains(authority, '@')) {
    return bad("must name a host (and no user information)");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' ||
        c == '\\') {
      return bad("must not contain spaces, quotes or non-ASCII characters");
    }
  }
  if (absl::StrContains(url, '#')) return bad("must not contain a fragment");
  return absl::OkStatus();
}

absl::Status ValidateLanguageTag(absl::string_view field,
                                 absl::string_view tag) {
  bool ok = tag.size() >= 2 && tag.size() <= 35 && absl::ascii_isalpha(tag[0]);
  for (char c : tag) ok = ok && (absl::ascii_isalnum(c) || c == '-');
  ok = ok && !absl::EndsWith(tag, "-") && !absl::StrContains(tag, "--");
  return ok ? absl::OkStatus()
            : absl::InvalidArgumentError(absl::StrCat(
                  field,
                  ": must be a BCP-47 language tag such as fr or fr-BE"));
}

absl::Status ValidateId(absl::string_view field, absl::string_view id, int min,
                        int max) {
  bool ok = static_cast<int>(id.size()) >= min &&
            static_cast<int>(id.size()) <= max && !id.empty() &&
            absl::ascii_islower(id.front()) && id.back() != '-';
  for (char c : id) {
    ok = ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-');
  }
  return ok ? absl::OkStatus()
            : absl::InvalidArgumentError(absl::StrCat(
                  field, ": must be ", min, "-", max,
                  " characters of a-z, 0-9 and -, starting with a letter"));
}

}  // namespace agora::api
