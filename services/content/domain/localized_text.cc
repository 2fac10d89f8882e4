#include "services/content/domain/localized_text.h"

#include "absl/strings/str_cat.h"
#include "libs/api/text_rules.h"

namespace agora::content {

absl::Status ValidateLocalizedText(absl::string_view field,
                                   const common::v1::LocalizedText& text,
                                   int min, int max) {
  if (text.translations_size() > 16) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most 16 translations"));
  }
  if (min > 0 && text.translations().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required in at least one language"));
  }
  for (const auto& [language, value] : text.translations()) {
    if (absl::Status s = api::ValidateLanguageTag(field, language); !s.ok()) {
      return s;
    }
    if (absl::Status s =
            api::ValidateText(absl::StrCat(field, "[", language, "]"), value,
                              min, max, /*multiline=*/true);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace agora::content
