#include "tests/services/moderation/screening/test_corpus.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace agora::moderation::screening::testing {
namespace {

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Groups of `sizes` (the last size repeats) separated by `separator`.
std::string Group(absl::string_view compact, const std::vector<size_t>& sizes,
                  absl::string_view separator) {
  std::string out;
  size_t pos = 0;
  size_t index = 0;
  while (pos < compact.size()) {
    const size_t size = sizes[std::min(index, sizes.size() - 1)];
    if (pos > 0) absl::StrAppend(&out, separator);
    absl::StrAppend(&out, compact.substr(pos, size));
    pos += size;
    ++index;
  }
  return out;
}

std::string ArabicIndic(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      AppendUtf8(0x0660 + static_cast<char32_t>(c - '0'), &out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Lower(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

uint64_t Random::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string Random::Digits(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out.push_back(static_cast<char>('0' + Below(10)));
  }
  return out;
}

std::string Random::Letters(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out.push_back(static_cast<char>('A' + Below(26)));
  }
  return out;
}

std::string Random::Alphanumerics(size_t count) {
  static constexpr absl::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out.push_back(kAlphabet[Below(kAlphabet.size())]);
  }
  return out;
}

std::vector<CardBrand> CardBrands() {
  return {
      {"visa-cb", "4973", 16},       {"visa-13", "4", 13},
      {"visa-19", "4539", 19},       {"mastercard", "5412", 16},
      {"mastercard-2", "2221", 16},  {"mastercard-2720", "2720", 16},
      {"amex-34", "34", 15},         {"amex-37", "37", 15},
      {"discover-6011", "6011", 16}, {"discover-65", "65", 16},
      {"discover-644", "644", 19},   {"diners-36", "36", 14},
      {"diners-300", "300", 14},     {"jcb", "3530", 16},
      {"maestro-6759", "6759", 16},  {"maestro-5018", "5018", 19},
      {"unionpay", "6250", 16},      {"mir", "2202", 16},
      {"bancontact", "6703", 17},
  };
}

char LuhnDigit(absl::string_view digits) {
  int sum = 0;
  // Walking from the right, the digit next to the (future) check digit is
  // doubled.
  for (size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string GenerateCardNumber(const CardBrand& brand, Random& random) {
  std::string number =
      brand.prefix + random.Digits(brand.length - 1 - brand.prefix.size());
  number.push_back(LuhnDigit(number));
  return number;
}

std::vector<SepaCountry> SepaCountries() {
  return {
      {"AD", 24, "4n4n12c"},     {"AL", 28, "8n16c"},
      {"AT", 20, "5n11n"},       {"BE", 16, "3n7n2n"},
      {"BG", 22, "4a4n2n8c"},    {"CH", 21, "5n12c"},
      {"CY", 28, "3n5n16c"},     {"CZ", 24, "4n6n10n"},
      {"DE", 22, "8n10n"},       {"DK", 18, "4n9n1n"},
      {"EE", 20, "2n2n11n1n"},   {"ES", 24, "4n4n1n1n10n"},
      {"FI", 18, "3n11n"},       {"FR", 27, "5n5n11c2n"},
      {"GB", 22, "4a6n8n"},      {"GI", 23, "4a15c"},
      {"GR", 27, "3n4n16c"},     {"HR", 21, "7n10n"},
      {"HU", 28, "3n4n1n15n1n"}, {"IE", 22, "4a6n8n"},
      {"IS", 26, "4n2n6n10n"},   {"IT", 27, "1a5n5n12c"},
      {"LI", 21, "5n12c"},       {"LT", 20, "5n11n"},
      {"LU", 20, "3n13c"},       {"LV", 21, "4a13c"},
      {"MC", 27, "5n5n11c2n"},   {"MD", 24, "2c18c"},
      {"ME", 22, "3n13n2n"},     {"MK", 19, "3n10c2n"},
      {"MT", 31, "4a5n18c"},     {"NL", 18, "4a10n"},
      {"NO", 15, "4n6n1n"},      {"PL", 28, "8n16n"},
      {"PT", 25, "4n4n11n2n"},   {"RO", 24, "4a16c"},
      {"SE", 24, "3n16n1n"},     {"SI", 19, "5n8n2n"},
      {"SK", 24, "4n6n10n"},     {"SM", 27, "1a5n5n12c"},
      {"VA", 22, "3n15n"},
  };
}

std::string IbanCheckDigits(absl::string_view country, absl::string_view bban) {
  const std::string rearranged = absl::StrCat(bban, country, "00");
  int remainder = 0;
  for (char c : rearranged) {
    if (c >= '0' && c <= '9') {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  const int check = 98 - remainder;
  return absl::StrCat(check / 10, check % 10);
}

std::string GenerateIban(const SepaCountry& country, Random& random) {
  std::string bban;
  int count = 0;
  for (char c : country.bban_format) {
    if (c >= '0' && c <= '9') {
      count = count * 10 + (c - '0');
      continue;
    }
    const size_t n = static_cast<size_t>(count);
    bban += c == 'n' ? random.Digits(n)
                     : (c == 'a' ? random.Letters(n) : random.Alphanumerics(n));
    count = 0;
  }
  return absl::StrCat(country.code, IbanCheckDigits(country.code, bban), bban);
}

std::string NirKey(absl::string_view first13) {
  uint64_t number = 0;
  for (size_t i = 0; i < first13.size(); ++i) {
    int value = first13[i] - '0';
    if (i == 6 && (first13[i] == 'A' || first13[i] == 'B')) {
      // 2A -> 19, 2B -> 18: the "2" before becomes "1".
      number = number - 1;
      value = first13[i] == 'A' ? 9 : 8;
    }
    number = number * 10 + static_cast<uint64_t>(value);
  }
  const int key = static_cast<int>(97 - number % 97);
  return absl::StrCat(key / 10, key % 10);
}

std::string GenerateNir(Random& random, bool corsica) {
  std::string nir = absl::StrCat(1 + random.Below(2), random.Digits(2));
  const uint64_t month = 1 + random.Below(12);
  absl::StrAppend(&nir, month / 10, month % 10);
  if (corsica) {
    nir += random.Below(2) == 0 ? "2A" : "2B";
  } else {
    const uint64_t department = 1 + random.Below(95);
    absl::StrAppend(&nir, department / 10, department % 10);
  }
  nir += random.Digits(6);
  return nir + NirKey(nir);
}

std::string GeneratePesel(Random& random) {
  static constexpr int kWeights[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
  const uint64_t year = random.Below(100);
  uint64_t month = 1 + random.Below(12);
  if (random.Below(2) == 0) month += 20;  // born in the 2000s
  const uint64_t day = 1 + random.Below(28);
  std::string pesel = absl::StrCat(year / 10, year % 10, month / 10, month % 10,
                                   day / 10, day % 10, random.Digits(4));
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += kWeights[i] * (pesel[i] - '0');
  pesel.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return pesel;
}

std::string GenerateBsn(Random& random) {
  while (true) {
    std::string bsn = absl::StrCat(1 + random.Below(9), random.Digits(7));
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (9 - i) * (bsn[i] - '0');
    const int last = sum % 11;  // 9a+...+2h - i must be 0 mod 11
    if (last == 10) continue;
    bsn.push_back(static_cast<char>('0' + last));
    return bsn;
  }
}

std::string GenerateCodiceFiscale(Random& random) {
  static constexpr absl::string_view kMonths = "ABCDEHLMPRST";
  static constexpr int kOdd[36] = {// 0-9
                                   1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
                                   // A-Z
                                   1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18,
                                   20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
                                   23};
  uint64_t day = 1 + random.Below(28);
  if (random.Below(2) == 0) day += 40;  // women
  std::string cf =
      absl::StrCat(random.Letters(6), random.Digits(2),
                   std::string(1, kMonths[random.Below(12)]), day / 10,
                   day % 10, random.Letters(1), random.Digits(3));
  int sum = 0;
  for (int i = 0; i < 15; ++i) {
    const char c = cf[i];
    const int index = c >= 'A' ? 10 + (c - 'A') : c - '0';
    const int even_value = c >= 'A' ? c - 'A' : c - '0';
    sum += (i % 2 == 0) ? kOdd[index] : even_value;
  }
  cf.push_back(static_cast<char>('A' + sum % 26));
  return cf;
}

std::string GenerateDni(Random& random) {
  static constexpr absl::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  const std::string digits = random.Digits(8);
  return digits + kLetters[std::stoul(digits) % 23];
}

std::string GenerateNie(Random& random) {
  static constexpr absl::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  const uint64_t prefix = random.Below(3);
  const std::string digits = random.Digits(7);
  const uint64_t number = prefix * 10000000 + std::stoul(digits);
  return absl::StrCat(std::string(1, "XYZ"[prefix]), digits,
                      std::string(1, kLetters[number % 23]));
}

std::vector<Writing> CardWritings() {
  return {Writing::kCompact,          Writing::kSpaces,
          Writing::kDashes,           Writing::kFullWidth,
          Writing::kFullWidthCompact, Writing::kArabicIndicDigits,
          Writing::kNoBreakSpaces};
}

std::vector<Writing> IbanWritings() {
  return {Writing::kCompact,          Writing::kSpaces,
          Writing::kDashes,           Writing::kFullWidth,
          Writing::kFullWidthCompact, Writing::kNoBreakSpaces,
          Writing::kLowercase};
}

absl::string_view WritingName(Writing writing) {
  switch (writing) {
    case Writing::kCompact:
      return "compact";
    case Writing::kSpaces:
      return "spaces";
    case Writing::kDashes:
      return "dashes";
    case Writing::kFullWidth:
      return "full-width";
    case Writing::kFullWidthCompact:
      return "full-width-compact";
    case Writing::kArabicIndicDigits:
      return "arabic-indic-digits";
    case Writing::kNoBreakSpaces:
      return "no-break-spaces";
    case Writing::kLowercase:
      return "lowercase";
  }
  return "?";
}

std::string FullWidth(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c > ' ' && c <= '~') {
      AppendUtf8(0xFF01 + static_cast<char32_t>(c - '!'), &out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string WriteCard(absl::string_view compact, Writing writing) {
  const std::vector<size_t> sizes = compact.size() == 15
                                        ? std::vector<size_t>{4, 6, 5}
                                        : std::vector<size_t>{4};
  switch (writing) {
    case Writing::kCompact:
    case Writing::kLowercase:
      return static_cast<std::string>(compact);
    case Writing::kSpaces:
      return Group(compact, sizes, " ");
    case Writing::kDashes:
      return Group(compact, sizes, "-");
    case Writing::kFullWidth:
      return FullWidth(Group(compact, sizes, " "));
    case Writing::kFullWidthCompact:
      return FullWidth(compact);
    case Writing::kArabicIndicDigits:
      return ArabicIndic(Group(compact, sizes, " "));
    case Writing::kNoBreakSpaces:
      return Group(compact, sizes, "\u00a0");
  }
  return static_cast<std::string>(compact);
}

std::string WriteIban(absl::string_view compact, Writing writing) {
  switch (writing) {
    case Writing::kCompact:
      return static_cast<std::string>(compact);
    case Writing::kSpaces:
      return Group(compact, {4}, " ");
    case Writing::kDashes:
      return Group(compact, {4}, "-");
    case Writing::kFullWidth:
      return FullWidth(Group(compact, {4}, " "));
    case Writing::kFullWidthCompact:
      return FullWidth(compact);
    case Writing::kArabicIndicDigits:
      return ArabicIndic(Group(compact, {4}, " "));
    case Writing::kNoBreakSpaces:
      return Group(compact, {4}, "\u00a0");
    case Writing::kLowercase:
      return Lower(Group(compact, {4}, " "));
  }
  return static_cast<std::string>(compact);
}

std::vector<Sentence> CardSentences() {
  return {
      {"fr",
       "Bonjour, ma carte {} a été refusée hier au supermarché, que "
       "faire\u00a0?"},
      {"fr", "J’ai reçu un SMS à propos de la carte n° {} — est-ce normal ?"},
      {"fr", "{} : c’est le numéro imprimé au dos, l’opposition est faite."},
      {"it", "Buongiorno, la mia carta {} è stata bloccata, cosa devo fare?"},
      {"it", "Ho pagato con la carta «{}» ma l’addebito è doppio."},
      {"pl", "Dzień dobry, moja karta {} została zablokowana — co robić?"},
      {"pl", "Płatność kartą {} nie przeszła, a pieniądze zniknęły."},
      {"nl", "Hallo, mijn pas {} werkt niet meer, wat moet ik doen?"},
      {"nl", "Betaling met kaart ({}) is mislukt, graag hulp."},
  };
}

std::vector<Sentence> IbanSentences() {
  return {
      {"fr",
       "Bonjour, pouvez-vous vérifier le virement vers {} ? Merci "
       "d’avance."},
      {"fr", "Voici mon RIB : {}. Le prélèvement a échoué deux fois."},
      {"it", "Buongiorno, ho fatto un bonifico su {} ma non è arrivato."},
      {"it", "L’IBAN del beneficiario è «{}», è corretto?"},
      {"pl", "Dzień dobry, przelew na konto {} nie dotarł — proszę o pomoc."},
      {"pl", "Mój numer rachunku to {}, czy mogę zmienić limit?"},
      {"nl",
       "Hallo, ik heb geld overgemaakt naar {} maar het is niet "
       "aangekomen."},
      {"nl", "Rekeningnummer: {} – klopt dat voor de incasso?"},
  };
}

std::string Fill(absl::string_view sentence, absl::string_view value) {
  return absl::StrReplaceAll(sentence, {{"{}", value}});
}

std::string CodePointSubstr(absl::string_view text, int start, int length) {
  std::string out;
  int index = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t next = pos + 1;
    while (next < text.size() &&
           (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) {
      ++next;
    }
    if (index >= start && index < start + length) {
      out.append(text.data() + pos, next - pos);
    }
    ++index;
    pos = next;
  }
  return out;
}

}  // namespace agora::moderation::screening::testing
