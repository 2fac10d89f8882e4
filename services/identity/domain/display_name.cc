#include "services/identity/domain/display_name.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/text_rules.h"

namespace agora::identity {
namespace {

struct SpoofCheckerClose {
  void operator()(USpoofChecker* checker) const { uspoof_close(checker); }
};

// One checker for the process: ICU documents skeleton computation on a
// checker that is no longer modified as thread-safe.
const USpoofChecker* SpoofChecker() {
  static const std::unique_ptr<USpoofChecker, SpoofCheckerClose> kChecker([] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* checker = uspoof_open(&status);
    return U_SUCCESS(status) ? checker : nullptr;
  }());
  return kChecker.get();
}

bool IsSeparator(UChar32 c) {
  return c == ' ' || c == '.' || c == '_' || c == '-';
}

}  // namespace

absl::Status ValidateDisplayNameFormat(absl::string_view field,
                                       absl::string_view name) {
  if (absl::Status s = ValidateText(field, name, 3, 40); !s.ok()) return s;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  UChar32 previous = 0;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    const bool allowed = u_isalpha(c) || u_isdigit(c) || IsSeparator(c) ||
                         (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
    if (!allowed) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": only letters, digits, spaces, '.', '_' and '-'"));
    }
    if (c == ' ' && (i == 0 || previous == ' ')) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": no leading, trailing or double spaces"));
    }
    previous = c;
  }
  if (previous == ' ') {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": no leading, trailing or double spaces"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DisplayNameKey(absl::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || SpoofChecker() == nullptr) {
    return absl::InternalError("ICU normaliser or spoof checker unavailable");
  }
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  icu::UnicodeString compact;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (!IsSeparator(c)) compact.append(c);
  }
  const icu::UnicodeString folded = nfkc_cf->normalize(compact, status);
  icu::UnicodeString skeleton;
  uspoof_getSkeletonUnicodeString(SpoofChecker(), 0, folded, skeleton, &status);
  // The skeleton maps to prototype characters, some of them upper case
  // ("l" and "I" both become "l"); fold once more so case never matters.
  const icu::UnicodeString key = nfkc_cf->normalize(skeleton, status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("display name key: ", u_errorName(status)));
  }
  std::string out;
  key.toUTF8String(out);
  return out;
}

bool IsLookalikeOfReserved(absl::string_view key,
                           const std::vector<std::string>& reserved) {
  for (const std::string& name : reserved) {
    absl::StatusOr<std::string> reserved_key = DisplayNameKey(name);
    if (reserved_key.ok() && !reserved_key->empty() &&
        absl::StrContains(key, *reserved_key)) {
      return true;
    }
  }
  return false;
}

absl::Status DisplayNameUnavailable(absl::string_view field) {
  return status::WithReason(
      absl::InvalidArgumentError(absl::StrCat(
          field,
          ": this display name is taken or too close to a reserved "
          "name; choose another")),
      "DISPLAY_NAME_UNAVAILABLE");
}

}  // namespace agora::identity
