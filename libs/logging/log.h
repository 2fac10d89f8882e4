// Structured logs: one JSON object per line on stdout, as Kubernetes log
// collectors expect. Every line has time, level, service and message; callers
// add fields such as request_id, method, code or tenant.
//
//   logging::Info("pool exhausted", {{"pool", "pg"}, {"waited_ms", 2000}});
//
// Personal data must never be passed here unmasked.
#ifndef AGORA_LIBS_LOGGING_LOG_H_
#define AGORA_LIBS_LOGGING_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <variant>

#include "absl/strings/string_view.h"

namespace agora::logging {

enum class Level { kDebug, kInfo, kWarn, kError };

// One key/value of a log line. Keys must be string literals or outlive the
// call.
struct Field {
  using Value = std::variant<std::string, int64_t, double, bool>;
  Field(absl::string_view k, absl::string_view v)
      : key(k), value(std::string(v)) {}
  Field(absl::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(absl::string_view k, const std::string& v) : key(k), value(v) {}
  Field(absl::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(absl::string_view k, int64_t v) : key(k), value(v) {}
  Field(absl::string_view k, uint64_t v)
      : key(k), value(static_cast<int64_t>(v)) {}
  Field(absl::string_view k, double v) : key(k), value(v) {}
  Field(absl::string_view k, bool v) : key(k), value(v) {}
  absl::string_view key;
  Value value;
};

using Fields = std::initializer_list<Field>;

// Names the service in every line and sets the lowest level written
// ("debug", "info", "warn", "error"; unknown names mean "info"). Call once at
// start-up, before other threads log; without it lines say service "agora".
void Init(absl::string_view service, absl::string_view min_level);

// The JSON line for a record, without the trailing newline. Exposed for tests.
std::string FormatLine(Level level, absl::string_view service,
                       absl::string_view message, Fields fields);

void Log(Level level, absl::string_view message, Fields fields = {});
inline void Debug(absl::string_view m, Fields f = {}) {
  Log(Level::kDebug, m, f);
}
inline void Info(absl::string_view m, Fields f = {}) {
  Log(Level::kInfo, m, f);
}
inline void Warn(absl::string_view m, Fields f = {}) {
  Log(Level::kWarn, m, f);
}
inline void Error(absl::string_view m, Fields f = {}) {
  Log(Level::kError, m, f);
}

}  // namespace agora::logging

#endif  // AGORA_LIBS_LOGGING_LOG_H_
