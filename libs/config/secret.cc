#include "libs/config/secret.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace agora::config {

absl::StatusOr<std::string> ReadSecret(absl::string_view reference) {
  std::string secret;
  if (absl::ConsumePrefix(&reference, "file:")) {
    std::ifstream in{std::string(reference), std::ios::binary};
    if (!in) {
      return absl::NotFoundError(
          absl::StrCat("secret file ", reference, " cannot be read"));
    }
    std::ostringstream content;
    content << in.rdbuf();
    secret = content.str();
  } else if (absl::ConsumePrefix(&reference, "env:")) {
    const char* value = std::getenv(std::string(reference).c_str());
    if (value == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("secret variable ", reference, " is not set"));
    }
    secret = value;
  } else {
    return absl::InvalidArgumentError(
        "secret reference must be file:<path> or env:<variable>");
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
    secret.pop_back();
  }
  if (secret.empty()) {
    return absl::NotFoundError(absl::StrCat("secret ", reference, " is empty"));
  }
  return secret;
}

}  // namespace agora::config
