#include "services/moderation/screening/checksums.h"

namespace agora::moderation::screening {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Remainder mod 97 of the number spelt by `text`, letters counting as two
// digits (A = 10 ... Z = 35), continuing from `remainder`; -1 on other
// characters.
int Mod97(absl::string_view text, int remainder) {
  for (char c : text) {
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (IsUpper(c) || IsLower(c)) {
      const int value = (IsUpper(c) ? c - 'A' : c - 'a') + 10;
      remainder = (remainder * 100 + value) % 97;
    } else {
      return -1;
    }
  }
  return remainder;
}

}  // namespace

bool LuhnValid(absl::string_view digits) {
  if (digits.empty() || !AllDigits(digits)) return false;
  int sum = 0;
  bool doubled = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int digit = digits[i] - '0';
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

int LuhnCheckDigit(absl::string_view digits) {
  if (!AllDigits(digits)) return -1;
  int sum = 0;
  bool doubled = true;  // the check digit will be the undoubled last one
  for (size_t i = digits.size(); i-- > 0;) {
    int digit = digits[i] - '0';
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return (10 - sum % 10) % 10;
}

int IbanMod97(absl::string_view iban) {
  if (iban.size() < 5) return -1;
  const int remainder = Mod97(iban.substr(4), 0);
  if (remainder < 0) return -1;
  return Mod97(iban.substr(0, 4), remainder);
}

int IbanCheckDigits(absl::string_view country, absl::string_view bban) {
  if (country.size() != 2) return -1;
  int remainder = Mod97(bban, 0);
  if (remainder < 0) return -1;
  remainder = Mod97(country, remainder);
  if (remainder < 0) return -1;
  remainder = Mod97("00", remainder);
  return 98 - remainder;
}

int NirKey(absl::string_view first13) {
  if (first13.size() != 13) return -1;
  // Corsica: "2A"/"2B" in the department position count as 19/18.
  char department[2] = {first13[5], first13[6]};
  if (first13[5] == '2' && (first13[6] == 'A' || first13[6] == 'a')) {
    department[0] = '1';
    department[1] = '9';
  } else if (first13[5] == '2' && (first13[6] == 'B' || first13[6] == 'b')) {
    department[0] = '1';
    department[1] = '8';
  }
  uint64_t number = 0;
  for (size_t i = 0; i < 13; ++i) {
    const char c = (i == 5 || i == 6) ? department[i - 5] : first13[i];
    if (!IsDigit(c)) return -1;
    number = number * 10 + static_cast<uint64_t>(c - '0');
  }
  return static_cast<int>(97 - number % 97);
}

char CodiceFiscaleCheckCharacter(absl::string_view first15) {
  if (first15.size() != 15) return '\0';
  // Values of characters in odd positions (1st, 3rd ...), digits 0-9 taking
  // the values of A-J.
  static constexpr int kOddValues[26] = {1,  0,  5,  7,  9,  13, 15, 17, 19,
                                         21, 2,  4,  18, 20, 11, 3,  6,  8,
                                         12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    const char c = first15[i];
    int index;
    if (IsDigit(c)) {
      index = c - '0';
    } else if (IsUpper(c)) {
      index = c - 'A';
    } else {
      return '\0';
    }
    sum += (i % 2 == 0) ? kOddValues[index] : index;
  }
  return static_cast<char>('A' + sum % 26);
}

int PeselCheckDigit(absl::string_view digits10) {
  if (digits10.size() != 10 || !AllDigits(digits10)) return -1;
  static constexpr int kWeights[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) sum += kWeights[i] * (digits10[i] - '0');
  return (10 - sum % 10) % 10;
}

bool PeselValid(absl::string_view digits) {
  if (digits.size() != 11 || !AllDigits(digits)) return false;
  return PeselCheckDigit(digits.substr(0, 10)) == digits[10] - '0';
}

bool BsnValid(absl::string_view digits) {
  if (digits.size() != 9 || !AllDigits(digits)) return false;
  int sum = 0;
  bool any_nonzero = false;
  for (size_t i = 0; i < 8; ++i) {
    const int digit = digits[i] - '0';
    any_nonzero = any_nonzero || digit != 0;
    sum += static_cast<int>(9 - i) * digit;
  }
  sum -= digits[8] - '0';
  return any_nonzero && sum % 11 == 0;
}

char DniLetter(uint32_t number) {
  static constexpr char kLetters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
  return kLetters[number % 23];
}

}  // namespace agora::moderation::screening
