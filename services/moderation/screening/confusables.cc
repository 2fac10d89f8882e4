#include "services/moderation/screening/confusables.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace agora::moderation::screening {
namespace {

struct Lookalike {
  char32_t code_point;
  char latin;
};

// Sorted by code point. Only letters that are drawn the same as a Latin
// letter in common fonts; both cases where both are look-alikes.
constexpr Lookalike kLookalikes[] = {
    {0x0251, 'a'},  // LATIN SMALL LETTER ALPHA
    {0x0261, 'g'},  // LATIN SMALL LETTER SCRIPT G
    {0x0269, 'i'},  // LATIN SMALL LETTER IOTA
    {0x0391, 'a'},  // GREEK CAPITAL ALPHA
    {0x0392, 'b'},  // GREEK CAPITAL BETA
    {0x0395, 'e'},  // GREEK CAPITAL EPSILON
    {0x0396, 'z'},  // GREEK CAPITAL ZETA
    {0x0397, 'h'},  // GREEK CAPITAL ETA
    {0x0399, 'i'},  // GREEK CAPITAL IOTA
    {0x039A, 'k'},  // GREEK CAPITAL KAPPA
    {0x039C, 'm'},  // GREEK CAPITAL MU
    {0x039D, 'n'},  // GREEK CAPITAL NU
    {0x039F, 'o'},  // GREEK CAPITAL OMICRON
    {0x03A1, 'p'},  // GREEK CAPITAL RHO
    {0x03A4, 't'},  // GREEK CAPITAL TAU
    {0x03A5, 'y'},  // GREEK CAPITAL UPSILON
    {0x03A7, 'x'},  // GREEK CAPITAL CHI
    {0x03B1, 'a'},  // GREEK SMALL ALPHA
    {0x03B3, 'y'},  // GREEK SMALL GAMMA
    {0x03B5, 'e'},  // GREEK SMALL EPSILON
    {0x03B9, 'i'},  // GREEK SMALL IOTA
    {0x03BA, 'k'},  // GREEK SMALL KAPPA
    {0x03BD, 'v'},  // GREEK SMALL NU
    {0x03BF, 'o'},  // GREEK SMALL OMICRON
    {0x03C1, 'p'},  // GREEK SMALL RHO
    {0x03C4, 't'},  // GREEK SMALL TAU
    {0x03C5, 'u'},  // GREEK SMALL UPSILON
    {0x03C7, 'x'},  // GREEK SMALL CHI
    {0x03C9, 'w'},  // GREEK SMALL OMEGA
    {0x03F2, 'c'},  // GREEK LUNATE SIGMA
    {0x03F3, 'j'},  // GREEK LETTER YOT
    {0x0405, 's'},  // CYRILLIC CAPITAL DZE
    {0x0406, 'i'},  // CYRILLIC CAPITAL BYELORUSSIAN-UKRAINIAN I
    {0x0408, 'j'},  // CYRILLIC CAPITAL JE
    {0x0410, 'a'},  // CYRILLIC CAPITAL A
    {0x0412, 'b'},  // CYRILLIC CAPITAL VE
    {0x0415, 'e'},  // CYRILLIC CAPITAL IE
    {0x041A, 'k'},  // CYRILLIC CAPITAL KA
    {0x041C, 'm'},  // CYRILLIC CAPITAL EM
    {0x041D, 'h'},  // CYRILLIC CAPITAL EN
    {0x041E, 'o'},  // CYRILLIC CAPITAL O
    {0x0420, 'p'},  // CYRILLIC CAPITAL ER
    {0x0421, 'c'},  // CYRILLIC CAPITAL ES
    {0x0422, 't'},  // CYRILLIC CAPITAL TE
    {0x0423, 'y'},  // CYRILLIC CAPITAL U
    {0x0425, 'x'},  // CYRILLIC CAPITAL HA
    {0x0430, 'a'},  // CYRILLIC SMALL A
    {0x0435, 'e'},  // CYRILLIC SMALL IE
    {0x043A, 'k'},  // CYRILLIC SMALL KA
    {0x043C, 'm'},  // CYRILLIC SMALL EM
    {0x043E, 'o'},  // CYRILLIC SMALL O
    {0x0440, 'p'},  // CYRILLIC SMALL ER
    {0x0441, 'c'},  // CYRILLIC SMALL ES
    {0x0443, 'y'},  // CYRILLIC SMALL U
    {0x0445, 'x'},  // CYRILLIC SMALL HA
    {0x0455, 's'},  // CYRILLIC SMALL DZE
    {0x0456, 'i'},  // CYRILLIC SMALL BYELORUSSIAN-UKRAINIAN I
    {0x0458, 'j'},  // CYRILLIC SMALL JE
    {0x04AE, 'y'},  // CYRILLIC CAPITAL STRAIGHT U
    {0x04AF, 'y'},  // CYRILLIC SMALL STRAIGHT U
    {0x04BA, 'h'},  // CYRILLIC CAPITAL SHHA
    {0x04BB, 'h'},  // CYRILLIC SMALL SHHA
    {0x04C0, 'l'},  // CYRILLIC PALOCHKA
    {0x04CF, 'l'},  // CYRILLIC SMALL PALOCHKA
    {0x0500, 'd'},  // CYRILLIC CAPITAL KOMI DE
    {0x0501, 'd'},  // CYRILLIC SMALL KOMI DE
    {0x051A, 'q'},  // CYRILLIC CAPITAL QA
    {0x051B, 'q'},  // CYRILLIC SMALL QA
    {0x051C, 'w'},  // CYRILLIC CAPITAL WE
    {0x051D, 'w'},  // CYRILLIC SMALL WE
    {0x0555, 'o'},  // ARMENIAN CAPITAL OH
    {0x0578, 'n'},  // ARMENIAN SMALL VO
    {0x057D, 'u'},  // ARMENIAN SMALL SEH
    {0x0585, 'o'},  // ARMENIAN SMALL OH
};

}  // namespace

char32_t LatinLookalike(char32_t code_point) {
  const auto* end = std::end(kLookalikes);
  const auto* found =
      std::lower_bound(std::begin(kLookalikes), end, code_point,
                       [](const Lookalike& entry, char32_t value) {
                         return entry.code_point < value;
                       });
  if (found == end || found->code_point != code_point) return 0;
  return static_cast<char32_t>(found->latin);
}

}  // namespace agora::moderation::screening
