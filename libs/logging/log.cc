#include "libs/logging/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace agora::logging {
namespace {

constexpr char kDefaultService[] = "agora";

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// The logger lives in spdlog's registry (thread-safe) as the default logger;
// its name is the service name written in every line.
std::shared_ptr<spdlog::logger> MakeLogger(absl::string_view service) {
  auto logger = std::make_shared<spdlog::logger>(
      std::string(service), std::make_shared<spdlog::sinks::stdout_sink_mt>());
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::shared_ptr<spdlog::logger> DefaultLogger() {
  std::shared_ptr<spdlog::logger> logger = spdlog::default_logger();
  // spdlog's own default logger (unnamed, coloured) until Init is called.
  if (logger->name().empty()) {
    logger = MakeLogger(kDefaultService);
    spdlog::set_default_logger(logger);
  }
  return logger;
}

}  // namespace

void Init(absl::string_view service, absl::string_view min_level) {
  std::shared_ptr<spdlog::logger> logger = MakeLogger(service);
  spdlog::level::level_enum level =
      spdlog::level::from_str(std::string(min_level));
  // from_str maps unknown names to "off"; silence is the wrong default.
  logger->set_level(level == spdlog::level::off ? spdlog::level::info : level);
  spdlog::set_default_logger(std::move(logger));
}

std::string FormatLine(Level level, absl::string_view service,
                       absl::string_view message, Fields fields) {
  nlohmann::ordered_json line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["service"] = std::string(service);
  line["msg"] = std::string(message);
  for (const Field& field : fields) {
    std::visit([&](const auto& v) { line[std::string(field.key)] = v; },
               field.value);
  }
  // Invalid UTF-8 from callers is replaced rather than throwing.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Log(Level level, absl::string_view message, Fields fields) {
  std::shared_ptr<spdlog::logger> logger = DefaultLogger();
  if (!logger->should_log(ToSpdlog(level))) return;
  logger->log(ToSpdlog(level), "{}",
              FormatLine(level, logger->name(), message, fields));
}

}  // namespace agora::logging
