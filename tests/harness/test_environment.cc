#include "tests/harness/test_environment.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"

namespace agora::testing {
namespace {

std::string Required(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE()
        << variable
        << " is not set: run the tests through tests/run, which starts "
           "PostgreSQL and Redis and sets it";
    std::abort();
  }
  return value;
}

}  // namespace

std::string PostgresAdminUrl() { return Required("AGORA_TEST_PG_URL"); }

std::string PostgresUrlFor(const std::string& database) {
  std::string url = PostgresAdminUrl();
  const size_t slash = url.rfind('/');
  const size_t query = url.find('?', slash);
  const std::string suffix =
      query == std::string::npos ? "" : url.substr(query);
  return absl::StrCat(url.substr(0, slash + 1), database, suffix);
}

std::string RedisAddress() { return Required("AGORA_TEST_REDIS_ADDR"); }

std::string RandomName(int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  absl::BitGen random;
  std::string name;
  for (int i = 0; i < length; ++i) {
    name.push_back(kHex[absl::Uniform(random, 0, 16)]);
  }
  return name;
}

}  // namespace agora::testing
