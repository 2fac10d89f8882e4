// The matching form of a code point: what every screening detector reads
// instead of the member's raw text. One code point folds to zero or more code
// points, independently of its neighbours, which is what lets FoldedText map
// every folded byte back to the code point of the original it came from.
//
// Folding, in order:
//   - Latin look-alikes (confusables.h) become the Latin letter;
//   - decimal digits of any script (full-width "４", Arabic-Indic "٤",
//     Devanagari ...) become ASCII digits;
//   - white space becomes " " (line and paragraph separators "\n");
//     dashes (Unicode Pd) become "-"; typographic apostrophes and quotes
//     become "'" and "\"";
//   - Unicode NFKC with case folding (full-width and mathematical letters,
//     ligatures, circled letters ... become plain letters, default-ignorable
//     characters such as soft hyphens and zero-width spaces vanish);
//   - accents are removed (NFD, then nonspacing marks dropped), and letters
//     without a decomposition get their base letter (ł → l, ø → o, æ → ae,
//     œ → oe, đ → d);
//   - other control characters become " ".
// So "Ｃｒÿｐｔо" (full-width, diaeresis, Cyrillic о) folds to "crypto" and
// "４９７３" to "4973".
#ifndef AGORA_SERVICES_MODERATION_SCREENING_CODE_POINT_FOLDING_H_
#define AGORA_SERVICES_MODERATION_SCREENING_CODE_POINT_FOLDING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

// The folded form of an ASCII character (< 0x80): lowercase letters,
// controls other than "\n" to a space, "`" to "'". Inline: folding is the
// innermost loop of screening.
inline char FoldAscii(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if (c >= 0x20 && c != 0x7F && c != '`') return static_cast<char>(c);
  if (c == '\n') return '\n';
  return c == '`' ? '\'' : ' ';
}

// Appends the folded form of `code_point` (possibly nothing) to `out`.
// Thread-safe. The first call builds a table of the Basic Multilingual Plane
// (about 60 ms); WarmUpCodePointFolding lets a server pay that at start-up.
void AppendFoldedCodePoint(char32_t code_point, std::string* out);

// The folded form of a whole text, code point by code point, with runs of
// white space collapsed to one space and trimmed: how term lists, staff
// names and domains are prepared to be compared with folded texts.
std::string FoldForMatching(absl::string_view text);

// True for letters, digits and combining marks: what whole-word matching
// treats as part of a word.
bool IsWordCodePoint(char32_t code_point);

// True for uppercase and lowercase letters respectively (the shouting check).
bool IsUppercaseLetter(char32_t code_point);
bool IsLowercaseLetter(char32_t code_point);

// Builds the folding table now rather than on first use.
void WarmUpCodePointFolding();

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_CODE_POINT_FOLDING_H_
