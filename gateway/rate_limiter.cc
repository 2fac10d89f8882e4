#include "gateway/rate_limiter.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace agora::gateway {
namespace {

// KEYS[1]: the bucket. ARGV[1]: emission interval T, ARGV[2]: tolerance
// (burst - 1) * T, both in microseconds. The bucket holds the theoretical
// arrival time (TAT); a request is allowed while TAT - now <= tolerance.
// Redis' own clock: every replica of the gateway agrees on "now".
// Returns {1, 0} when allowed, {0, microseconds to wait} when refused.
constexpr char kGcraScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
if tat - now > tolerance then
  return {0, tat - now - tolerance}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX',
           math.ceil((new_tat - now) / 1000) + 1)
return {1, 0}
)lua";

}  // namespace

absl::StatusOr<absl::flat_hash_map<std::string, RateLimit>> ParseRateLimits(
    absl::string_view spec) {
  absl::flat_hash_map<std::string, RateLimit> limits;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> parts = absl::StrSplit(entry, '=');
    std::vector<absl::string_view> rate;
    if (parts.size() == 2) rate = absl::StrSplit(parts[1], '/');
    RateLimit limit;
    if (parts.size() != 2 || parts[0].empty() || rate.size() != 2 ||
        !absl::SimpleAtoi(rate[0], &limit.count) || limit.count <= 0 ||
        !absl::ParseDuration(rate[1], &limit.period) ||
        limit.period <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rate_limits: \"", entry, "\" is not <class>=<count>/<period>"));
    }
    limits[parts[0]] = limit;
  }
  return limits;
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ParseRouteClasses(
    absl::string_view spec) {
  absl::flat_hash_map<std::string, std::string> classes;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> parts = absl::StrSplit(entry, '=');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rate_limit_classes: \"", entry, "\" is not <method>=<class>"));
    }
    classes[parts[0]] = std::string(parts[1]);
  }
  return classes;
}

RateLimiter::RateLimiter(redis::RedisClient& redis, std::string key_prefix,
                         absl::flat_hash_map<std::string, RateLimit> limits)
    : redis_(redis),
      keys_(std::move(key_prefix)),
      limits_(std::move(limits)),
      script_(kGcraScript) {}

absl::StatusOr<RateLimiter::Decision> RateLimiter::Take(
    absl::string_view tenant, absl::string_view route_class,
    absl::string_view caller) {
  auto it = limits_.find(route_class);
  if (it == limits_.end()) return Decision{};
  const RateLimit& limit = it->second;
  const int64_t interval_us = std::max<int64_t>(
      1, absl::ToInt64Microseconds(limit.period) / limit.count);
  const int64_t tolerance_us = interval_us * (limit.count - 1);
  std::string key;
  if (tenant.empty()) {
    key = keys_.SharedKey("ratelimit", {route_class, caller});
  } else {
    absl::StatusOr<std::string> tenant_key =
        keys_.TenantKey(tenant, {"ratelimit", route_class, caller});
    if (!tenant_key.ok()) return tenant_key.status();
    key = *std::move(tenant_key);
  }
  const std::string keys[] = {key};
  const std::string args[] = {absl::StrCat(interval_us),
                              absl::StrCat(tolerance_us)};
  absl::StatusOr<redis::Reply> reply = redis_.Eval(script_, keys, args);
  if (!reply.ok()) return absl::UnavailableError("rate limiter unavailable");
  if (reply->type != redis::Reply::Type::kArray ||
      reply->elements.size() != 2) {
    return absl::UnavailableError("rate limiter: unexpected reply");
  }
  Decision decision;
  decision.allowed = reply->elements[0].AsInteger().value_or(1) == 1;
  decision.retry_after =
      absl::Microseconds(reply->elements[1].AsInteger().value_or(0));
  return decision;
}

}  // namespace agora::gateway
