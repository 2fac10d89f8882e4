#include "services/moderation/screening/code_point_folding.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <vector>

#include "services/moderation/screening/confusables.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {
namespace {

// Letters that NFD leaves alone but that readers take for a Latin letter with
// a stroke or a ligature of two.
const char* BaseLetters(char32_t code_point) {
  switch (code_point) {
    case 0x00C6:  // Æ
    case 0x00E6:  // æ
      return "ae";
    case 0x00D0:  // Ð
    case 0x00F0:  // ð
    case 0x0110:  // Đ
    case 0x0111:  // đ
      return "d";
    case 0x00D8:  // Ø
    case 0x00F8:  // ø
      return "o";
    case 0x00DE:  // Þ
    case 0x00FE:  // þ
      return "th";
    case 0x0126:  // Ħ
    case 0x0127:  // ħ
      return "h";
    case 0x0131:  // ı
      return "i";
    case 0x0141:  // Ł
    case 0x0142:  // ł
      return "l";
    case 0x014A:  // Ŋ
    case 0x014B:  // ŋ
      return "n";
    case 0x0152:  // Œ
    case 0x0153:  // œ
      return "oe";
    case 0x0166:  // Ŧ
    case 0x0167:  // ŧ
      return "t";
    case 0x0237:  // ȷ
      return "j";
    default:
      return nullptr;
  }
}

// The folding of one code point that needs no normalisation, or false.
bool AppendDirectFolding(char32_t code_point, std::string* out) {
  if (char32_t latin = LatinLookalike(code_point); latin != 0) {
    out->push_back(static_cast<char>(latin));
    return true;
  }
  if (const char* base = BaseLetters(code_point); base != nullptr) {
    out->append(base);
    return true;
  }
  switch (code_point) {
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x02BC:
    case 0x2032:
    case 0x00B4:
    case 0x0060:
    case 0xFF07:
      out->push_back('\'');
      return true;
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x00AB:
    case 0x00BB:
    case 0x2033:
      out->push_back('"');
      return true;
    case 0x2212:  // minus sign (a math symbol, not a dash, for Unicode)
      out->push_back('-');
      return true;
    case '\n':
    case 0x2028:
    case 0x2029:
    case 0x0085:
      out->push_back('\n');
      return true;
    default:
      break;
  }
  const int8_t type = u_charType(static_cast<UChar32>(code_point));
  if (type == U_DECIMAL_DIGIT_NUMBER) {
    out->push_back(static_cast<char>(
        '0' + u_charDigitValue(static_cast<UChar32>(code_point))));
    return true;
  }
  if (u_isUWhiteSpace(static_cast<UChar32>(code_point)) ||
      type == U_CONTROL_CHAR) {
    out->push_back(' ');
    return true;
  }
  if (type == U_DASH_PUNCTUATION) {
    out->push_back('-');
    return true;
  }
  return false;
}

// The full folding of one code point through ICU (see the header).
std::string ComputeFolding(char32_t code_point) {
  std::string out;
  if (AppendDirectFolding(code_point, &out)) return out;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_casefold =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) {
    AppendUtf8(code_point, &out);
    return out;
  }
  const icu::UnicodeString source(static_cast<UChar32>(code_point));
  const icu::UnicodeString folded = nfkc_casefold->normalize(source, status);
  const icu::UnicodeString decomposed = nfd->normalize(folded, status);
  if (U_FAILURE(status)) {
    AppendUtf8(code_point, &out);
    return out;
  }
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    const int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) continue;
    if (!AppendDirectFolding(static_cast<char32_t>(c), &out)) {
      AppendUtf8(static_cast<char32_t>(c), &out);
    }
  }
  return out;
}

// Folded forms of U+0000..U+FFFF, computed once. Code points that fold to
// themselves (most of them) are marked and encoded on the fly.
class BmpFoldingTable {
 public:
  BmpFoldingTable() : entries_(0x10000, kIdentity) {
    std::string own;
    for (char32_t code_point = 0; code_point < 0x10000; ++code_point) {
      if (code_point >= 0xD800 && code_point <= 0xDFFF) continue;
      std::string folded = ComputeFolding(code_point);
      own.clear();
      AppendUtf8(code_point, &own);
      if (folded == own) continue;
      entries_[code_point] = (static_cast<uint32_t>(pool_.size()) << 8) |
                             static_cast<uint32_t>(folded.size());
      pool_ += folded;
    }
  }

  void Append(char32_t code_point, std::string* out) const {
    const uint32_t entry = entries_[code_point];
    if (entry == kIdentity) {
      AppendUtf8(code_point, out);
    } else {
      out->append(pool_.data() + (entry >> 8), entry & 0xFF);
    }
  }

 private:
  static constexpr uint32_t kIdentity = 0xFFFFFFFF;
  std::vector<uint32_t> entries_;  // pool offset << 8 | length
  std::string pool_;
};

const BmpFoldingTable& Table() {
  static const BmpFoldingTable table;
  return table;
}

}  // namespace

void AppendFoldedCodePoint(char32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(FoldAscii(static_cast<unsigned char>(code_point)));
  } else if (code_point < 0x10000) {
    Table().Append(code_point, out);
  } else {
    *out += ComputeFolding(code_point);
  }
}

std::string FoldForMatching(absl::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    AppendFoldedCodePoint(DecodeUtf8(text, &pos), &folded);
  }
  std::string collapsed;
  collapsed.reserve(folded.size());
  for (char c : folded) {
    const bool space = c == ' ' || c == '\n';
    if (space) {
      if (!collapsed.empty() && collapsed.back() != ' ') {
        collapsed.push_back(' ');
      }
    } else {
      collapsed.push_back(c);
    }
  }
  if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

bool IsWordCodePoint(char32_t code_point) {
  if (code_point < 0x80) {
    return (code_point >= 'a' && code_point <= 'z') ||
           (code_point >= 'A' && code_point <= 'Z') ||
           (code_point >= '0' && code_point <= '9');
  }
  const UChar32 c = static_cast<UChar32>(code_point);
  if (u_isalnum(c)) return true;
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

bool IsUppercaseLetter(char32_t code_point) {
  if (code_point < 0x80) return code_point >= 'A' && code_point <= 'Z';
  return u_isupper(static_cast<UChar32>(code_point));
}

bool IsLowercaseLetter(char32_t code_point) {
  if (code_point < 0x80) return code_point >= 'a' && code_point <= 'z';
  return u_islower(static_cast<UChar32>(code_point));
}

void WarmUpCodePointFolding() { Table(); }

}  // namespace agora::moderation::screening
