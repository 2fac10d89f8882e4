#include "libs/pg/errors.h"

#include <pqxx/except>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace agora::pg {
namespace {

std::string FirstLine(absl::string_view text) {
  const size_t end = text.find('\n');
  absl::string_view line = text.substr(0, end);
  return std::string(line);
}

}  // namespace

absl::Status StatusFromException(const std::exception& error) {
  const std::string what = FirstLine(error.what());
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&error) !=
          nullptr) {
    return absl::UnavailableError(
        absl::StrCat("database: outcome unknown: ", what));
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return absl::UnavailableError(absl::StrCat("database unavailable: ", what));
  }
  if (dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr ||
      dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr) {
    return absl::AbortedError(absl::StrCat("database conflict: ", what));
  }
  if (dynamic_cast<const pqxx::unique_violation*>(&error) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("database: ", what));
  }
  if (dynamic_cast<const pqxx::foreign_key_violation*>(&error) != nullptr ||
      dynamic_cast<const pqxx::restrict_violation*>(&error) != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("database: ", what));
  }
  if (dynamic_cast<const pqxx::check_violation*>(&error) != nullptr ||
      dynamic_cast<const pqxx::not_null_violation*>(&error) != nullptr ||
      dynamic_cast<const pqxx::data_exception*>(&error) != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("database: ", what));
  }
  if (dynamic_cast<const pqxx::insufficient_resources*>(&error) != nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat("database: ", what));
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    const std::string& state = sql->sqlstate();
    if (state == "57014") {  // query_canceled: statement_timeout fired
      return absl::DeadlineExceededError(absl::StrCat("database: ", what));
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
      // connection exception; admin/crash shutdown, cannot connect now
      return absl::UnavailableError(
          absl::StrCat("database unavailable: ", what));
    }
    if (state == "40001" || state == "40P01") {
      return absl::AbortedError(absl::StrCat("database conflict: ", what));
    }
  }
  return absl::InternalError(absl::StrCat("database: ", what));
}

bool IsRetryable(const std::exception& error) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&error) !=
          nullptr) {
    return false;  // may have committed: running it again could apply it twice
  }
  const absl::StatusCode code = StatusFromException(error).code();
  return code == absl::StatusCode::kAborted ||
         code == absl::StatusCode::kUnavailable;
}

}  // namespace agora::pg
