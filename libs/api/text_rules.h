// The field rules every service checks on requests: lengths in characters
// (Unicode code points, not bytes), valid UTF-8, no control characters,
// https URLs, BCP-47 tags, ids. Each failure is an INVALID_ARGUMENT whose
// message starts with the field's name and says the rule.
#ifndef AGORA_LIBS_API_TEXT_RULES_H_
#define AGORA_LIBS_API_TEXT_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace agora::api {

// Code points in `text`, or -1 when it is not valid UTF-8.
int CodePointCount(absl::string_view text);

// `text` is valid UTF-8 of min-max code points without control characters
// (new lines allowed when `multiline`).
absl::Status ValidateText(absl::string_view field, absl::string_view text,
                          int min, int max, bool multiline = false);

// An absolute https URL of at most `max` characters without spaces, user
// information or fragments (empty allowed when `optional`).
absl::Status ValidateHttpsUrl(absl::string_view field, absl::string_view url,
                              int max = 2048, bool optional = false);

// A BCP-47 language tag of 2-35 characters ("fr", "fr-BE", "nl-NL").
absl::Status ValidateLanguageTag(absl::string_view field,
                                 absl::string_view tag);

// An id chosen by an admin: min-max characters of [a-z0-9-], starting with
// a letter, not ending with "-".
absl::Status ValidateId(absl::string_view field, absl::string_view id, int min,
                        int max);

}  // namespace agora::api

#endif  // AGORA_LIBS_API_TEXT_RULES_H_
