#include "services/identity/domain/password_policy.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/text_rules.h"

namespace agora::identity {
namespace {

// The cores of the most common passwords in breach corpora (NordPass and
// SecLists top lists, French, Italian, Polish and Dutch favourites
// included), lower case. A password whose core (lower case, trailing digits
// and symbols removed) or whole text is here is refused.
const absl::flat_hash_set<std::string>& CommonPasswords() {
  static const absl::flat_hash_set<std::string> kCommon{
      "password",
      "passw0rd",
      "motdepasse",
      "password123",
      "123456789012",
      "1234567890123",
      "12345678910",
      "123456789",
      "1234567890",
      "qwertyuiop",
      "qwertyuiopas",
      "qwertyuiopasdf",
      "azertyuiop",
      "azertyuiopqs",
      "azertyazerty",
      "qwertyqwerty",
      "asdfghjkl",
      "zxcvbnm",
      "qwerty",
      "azerty",
      "iloveyou",
      "iloveyouforever",
      "jetaime",
      "tiamo",
      "kocham",
      "kochamcie",
      "welcome",
      "welcometo",
      "letmein",
      "letmeinplease",
      "admin",
      "administrator",
      "changeme",
      "changemenow",
      "trustno",
      "sunshine",
      "princess",
      "football",
      "baseball",
      "dragon",
      "monkey",
      "superman",
      "batman",
      "starwars",
      "whatever",
      "freedom",
      "shadow",
      "master",
      "michael",
      "jennifer",
      "charlie",
      "soleil",
      "bonjour",
      "doudou",
      "chouchou",
      "loulou",
      "marseille",
      "paris",
      "parisfrance",
      "juventus",
      "napoli",
      "milano",
      "forzamilan",
      "forzainter",
      "polska",
      "zaq1zaq1",
      "qazwsx",
      "qazwsxedc",
      "qazwsxedcrfv",
      "1qaz2wsx",
      "1q2w3e4r",
      "1q2w3e4r5t6y",
      "zaq12wsx",
      "wachtwoord",
      "welkom",
      "amsterdam",
      "feyenoord",
      "ajaxamsterdam",
      "abcdefghijkl",
      "abcdefgh",
      "aaaaaaaaaaaa",
      "111111111111",
      "000000000000",
      "123123123123",
      "121212121212",
      "987654321098",
      "0987654321",
      "1122334455",
      "banque",
      "mabanque",
      "bankpassword",
      "community",
      "agora",
      "agorapassword",
      "mypassword",
      "yourpassword",
      "secret",
      "topsecret",
      "passwordpassword",
      "password1",
      "p4ssw0rd",
      "pa55word",
      "pa55w0rd",
      "passe",
      "motdepasse1",
      "hello",
      "helloworld",
      "computer",
      "internet",
      "samsung",
      "google",
      "facebook",
      "linkedin",
      "pokemon",
      "minecraft",
      "fortnite",
      "liverpool",
      "chelsea",
      "arsenal",
      "barcelona",
      "realmadrid",
      "manchester",
      "ncc1701",
      "correcthorsebatterystaple",
  };
  return kCommon;
}

// The password in lower case without its trailing digits and symbols:
// "Password2024!" and "password" share the core "password".
std::string Core(absl::string_view password) {
  std::string lower = absl::AsciiStrToLower(password);
  while (!lower.empty() && !absl::ascii_isalpha(lower.back())) {
    lower.pop_back();
  }
  return lower;
}

bool AllSameCharacter(absl::string_view text) {
  return !text.empty() &&
         text.find_first_not_of(text.front()) == absl::string_view::npos;
}

}  // namespace

absl::Status ValidateNewPassword(absl::string_view field,
                                 absl::string_view password,
                                 absl::string_view email) {
  const int length = CodePointCount(password);
  if (length < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be valid UTF-8"));
  }
  if (length < kMinPasswordLength || length > kMaxPasswordLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", kMinPasswordLength, "-",
                     kMaxPasswordLength, " characters"));
  }
  const std::string lower = absl::AsciiStrToLower(password);
  const std::string core = Core(password);
  if (CommonPasswords().contains(lower) || CommonPasswords().contains(core) ||
      AllSameCharacter(password) ||
      (!email.empty() && lower == absl::AsciiStrToLower(email))) {
    return status::WithReason(
        absl::InvalidArgumentError(absl::StrCat(
            field, ": too common or too easy to guess; choose another")),
        "PASSWORD_TOO_COMMON");
  }
  return absl::OkStatus();
}

absl::Status ValidatePresentedPassword(absl::string_view field,
                                       absl::string_view password) {
  if (password.empty() || password.size() > 4 * kMaxPasswordLength ||
      CodePointCount(password) > kMaxPasswordLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1-", kMaxPasswordLength, " characters"));
  }
  return absl::OkStatus();
}

}  // namespace agora::identity
