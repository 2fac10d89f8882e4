#include "services/identity/domain/email_address.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace agora::identity {
namespace {

bool IsAtext(char c) {
  return absl::ascii_isalnum(c) ||
         absl::string_view("!#$%&'*+/=?^_`{|}~-").find(c) !=
             absl::string_view::npos;
}

bool IsDotAtom(absl::string_view local) {
  if (local.empty() || local.front() == '.' || local.back() == '.') {
    return false;
  }
  char previous = 0;
  for (char c : local) {
    if (c == '.' ? previous == '.' : !IsAtext(c)) return false;
    previous = c;
  }
  return true;
}

bool IsDomain(absl::string_view domain) {
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2 || domain.size() > 253) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(c) && c != '-') return false;
    }
  }
  // A top-level domain is never all digits (that would be an IP address).
  const absl::string_view tld = labels.back();
  return tld.find_first_not_of("0123456789") != absl::string_view::npos;
}

}  // namespace

absl::StatusOr<EmailAddress> NormalizeEmail(absl::string_view field,
                                            absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  const auto invalid = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        field,
        ": must be an e-mail address of 3-254 characters (name@domain)"));
  };
  if (trimmed.size() < 3 || trimmed.size() > 254) return invalid();
  const size_t at = trimmed.rfind('@');
  if (at == absl::string_view::npos) return invalid();
  const absl::string_view local = trimmed.substr(0, at);
  const std::string domain = absl::AsciiStrToLower(trimmed.substr(at + 1));
  if (local.size() > 64 || !IsDotAtom(local) || !IsDomain(domain)) {
    return invalid();
  }
  EmailAddress address;
  address.normalized = absl::StrCat(local, "@", domain);
  address.key = absl::AsciiStrToLower(address.normalized);
  return address;
}

std::string MaskEmail(absl::string_view email) {
  const size_t at = email.rfind('@');
  if (at == absl::string_view::npos || at == 0) return "•••";
  return absl::StrCat(email.substr(0, 1), "•••", email.substr(at));
}

}  // namespace agora::identity
