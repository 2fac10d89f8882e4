#include "services/identity/domain/login_throttle.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/logging/log.h"
#include "libs/redis/lua_script.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/secret_tokens.h"

namespace agora::identity {
namespace {

constexpr int64_t kWindowMillis = 3600 * 1000;
constexpr int64_t kMaxBackoffMillis = 15 * 60 * 1000;

// KEYS: account failures, account wait, address failures.
// ARGV: free failures, window ms, max back-off ms.
// Counts the failure in both windows and, past the free failures, sets the
// account's wait to 2^(n - free - 1) seconds (capped).
const redis::LuaScript& RecordFailureScript() {
  static const redis::LuaScript kScript(R"lua(
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local a = redis.call('INCR', KEYS[3])
if a == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
local free = tonumber(ARGV[1])
if n > free then
  local wait = math.min(1000 * 2 ^ math.min(n - free - 1, 30), tonumber(ARGV[3]))
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(wait))
end
return n
)lua");
  return kScript;
}

absl::Status RateLimited(absl::string_view message, int64_t retry_millis) {
  return status::WithRetryDelay(
      status::WithReason(absl::ResourceExhaustedError(message), "RATE_LIMITED"),
      absl::Milliseconds(std::max<int64_t>(retry_millis, 1000)));
}

std::string HashedPart(absl::string_view text) {
  return absl::BytesToHexString(HashSecretToken(text)).substr(0, 32);
}

}  // namespace

LoginThrottle::LoginThrottle(IdentityContext& context, absl::string_view tenant,
                             absl::string_view account,
                             absl::string_view address)
    : context_(context) {
  // Hashed: Redis never holds e-mail addresses or client addresses.
  account_key_ =
      context.keys.TenantKey(tenant, {"login", "account", HashedPart(account)})
          .value_or("");
  address_key_ =
      context.keys.TenantKey(tenant, {"login", "address", HashedPart(address)})
          .value_or("");
}

absl::Status LoginThrottle::Check() const {
  const std::vector<redis::Command> commands = {
      {"GET", account_key_},
      {"PTTL", account_key_},
      {"PTTL", account_key_ + ":wait"},
      {"GET", address_key_},
      {"PTTL", address_key_}};
  absl::StatusOr<std::vector<redis::Reply>> replies =
      context_.redis.Pipeline(commands);
  if (!replies.ok()) {
    logging::Warn("login throttle unavailable, letting the attempt through",
                  {{"error", replies.status().ToString()}});
    return absl::OkStatus();
  }
  const auto& r = *replies;
  const IdentitySettings& settings = context_.settings;
  if (r[0].AsInteger().value_or(0) >= settings.max_failures_per_account_hour) {
    return RateLimited("too many failed sign-ins; try again later",
                       r[1].AsInteger().value_or(kWindowMillis));
  }
  if (const int64_t wait = r[2].AsInteger().value_or(-2); wait > 0) {
    return RateLimited("too many failed sign-ins; wait before trying again",
                       wait);
  }
  if (r[3].AsInteger().value_or(0) >= settings.max_failures_per_address_hour) {
    return RateLimited("too many failed sign-ins from this address",
                       r[4].AsInteger().value_or(kWindowMillis));
  }
  return absl::OkStatus();
}

void LoginThrottle::RecordFailure() const {
  const std::vector<std::string> keys = {account_key_, account_key_ + ":wait",
                                         address_key_};
  const std::vector<std::string> args = {
      absl::StrCat(context_.settings.free_failures_before_backoff),
      absl::StrCat(kWindowMillis), absl::StrCat(kMaxBackoffMillis)};
  absl::StatusOr<redis::Reply> reply =
      context_.redis.Eval(RecordFailureScript(), keys, args);
  if (!reply.ok()) {
    logging::Warn("login failure not counted",
                  {{"error", reply.status().ToString()}});
  }
}

void LoginThrottle::RecordSuccess() const {
  absl::StatusOr<redis::Reply> reply =
      context_.redis.Run({"DEL", account_key_, account_key_ + ":wait"});
  if (!reply.ok()) {
    logging::Warn("login success not recorded",
                  {{"error", reply.status().ToString()}});
  }
}

absl::Status CheckAccountRequestRate(IdentityContext& context,
                                     absl::string_view tenant,
                                     absl::string_view kind,
                                     absl::string_view address) {
  absl::StatusOr<std::string> key =
      context.keys.TenantKey(tenant, {"requests", kind, HashedPart(address)});
  if (!key.ok()) return key.status();
  absl::StatusOr<std::vector<redis::Reply>> replies =
      context.redis.Pipeline(std::vector<redis::Command>{
          {"INCR", *key},
          {"PEXPIRE", *key, absl::StrCat(kWindowMillis), "NX"},
          {"PTTL", *key}});
  if (!replies.ok()) {
    logging::Warn("request throttle unavailable, letting the request through",
                  {{"error", replies.status().ToString()}});
    return absl::OkStatus();
  }
  if ((*replies)[0].AsInteger().value_or(0) >
      context.settings.max_account_requests_per_address_hour) {
    return RateLimited("too many requests from this address; try later",
                       (*replies)[2].AsInteger().value_or(kWindowMillis));
  }
  return absl::OkStatus();
}

}  // namespace agora::identity
