#include "services/share/cache/click_store.h"

#include "absl/strings/str_cat.h"
#include "libs/redis/lua_script.h"

namespace agora::share {
namespace {

// KEYS: post, rate, pending, clicks, hll link, hll post, hll post-network,
// hll post-day. ARGV: limit, bot, visitor, code, day, micros, rate key TTL.
// As few commands as a click allows (measured at 35 us per call with four
// more): a human click is its record (counters, first and last times and
// the sketches to merge are derived from the records at the flush), its
// visitor in the four sketches, and the link's count only when the visitor
// is new (a HyperLogLog's count changes only then).
const redis::LuaScript& CountScript() {
  static const redis::LuaScript script(R"lua(
local post = redis.call('GET', KEYS[1])
if not post then return {0} end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[7]) end
if n > tonumber(ARGV[1]) then return {1, post} end
local code, day, micros = ARGV[4], ARGV[5], ARGV[6]
if ARGV[2] == '1' then
  redis.call('HINCRBY', KEYS[3], 'b|' .. code .. '|' .. day, 1)
  redis.call('HSET', KEYS[3], 'l|' .. code, micros)
  return {2, post, 0, 0}
end
local new = redis.call('PFADD', KEYS[5], ARGV[3])
local uv = -1
if new == 1 then uv = redis.call('PFCOUNT', KEYS[5]) end
redis.call('PFADD', KEYS[6], ARGV[3])
redis.call('PFADD', KEYS[7], ARGV[3])
redis.call('PFADD', KEYS[8], ARGV[3])
redis.call('RPUSH', KEYS[4],
           code .. '|' .. micros .. '|' .. new .. '|' .. uv .. '|' .. day)
return {2, post, new, uv}
)lua");
  return script;
}

// KEYS: post. ARGV: version, value, ttl seconds. The cached value starts
// with "<published 0/1>\x1f<version>\x1f".
const redis::LuaScript& PutPostScript() {
  static const redis::LuaScript script(R"lua(
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.match(current, '^[01]\31(%d+)'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
)lua");
  return script;
}

// KEYS: pending, clicks, their sealed names, sealed batch id.
// ARGV: the new batch id.
const redis::LuaScript& SealScript() {
  static const redis::LuaScript script(R"lua(
local sealed = redis.call('GET', KEYS[5])
if sealed then return sealed end
local any = false
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('RENAME', KEYS[i], KEYS[i + 2])
    any = true
  end
end
if not any then return false end
redis.call('SET', KEYS[5], ARGV[1])
return ARGV[1]
)lua");
  return script;
}

// KEYS: live sketch, a scratch key. ARGV: stored registers or "", TTL of
// the live sketch in seconds (PostgreSQL keeps the registers: an idle
// sketch leaves Redis and is merged back at its next flush).
const redis::LuaScript& MergeScript() {
  static const redis::LuaScript script(R"lua(
if ARGV[1] ~= '' then
  redis.call('SET', KEYS[2], ARGV[1])
  redis.call('PFMERGE', KEYS[1], KEYS[1], KEYS[2])
  redis.call('DEL', KEYS[2])
end
local count = redis.call('PFCOUNT', KEYS[1])
local registers = redis.call('GET', KEYS[1])
if registers then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return {registers or '', count}
)lua");
  return script;
}

// KEYS: the sealed keys and the batch id key. ARGV: the batch id.
const redis::LuaScript& ReleaseScript() {
  static const redis::LuaScript script(R"lua(
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
)lua");
  return script;
}

absl::Status ErrorOf(const redis::Reply& reply) {
  return reply.is_error() ? redis::StatusFromErrorReply(reply.text)
                          : absl::OkStatus();
}

}  // namespace

std::string LinkScope(absl::string_view code) {
  return absl::StrCat("link:", code);
}
std::string PostScope(absl::string_view post) {
  return absl::StrCat("post:", post);
}
std::string PostNetworkScope(absl::string_view post, int network) {
  return absl::StrCat("postnet:", post, ":", network);
}
std::string PostDayScope(absl::string_view post, absl::string_view day) {
  return absl::StrCat("postday:", post, ":", day);
}

absl::StatusOr<ClickOutcome> CountClick(redis::RedisClient& redis,
                                        const TenantKeys& keys,
                                        const ClickInput& input) {
  const std::string link = LinkScope(input.code);
  const std::string post = PostScope(input.post);
  const std::string network = PostNetworkScope(input.post, input.network);
  const std::string day = PostDayScope(input.post, input.day);
  absl::StatusOr<redis::Reply> reply = redis.Eval(
      CountScript(),
      {input.post_key, input.rate_key, keys.pending, keys.clicks,
       keys.Sketch(link), keys.Sketch(post), keys.Sketch(network),
       keys.Sketch(day)},
      {absl::StrCat(input.rate_limit), input.bot ? "1" : "0", input.visitor,
       input.code, input.day, absl::StrCat(input.micros), "61"});
  if (!reply.ok()) return reply.status();
  if (absl::Status error = ErrorOf(*reply); !error.ok()) return error;
  if (reply->type != redis::Reply::Type::kArray || reply->elements.empty()) {
    return absl::InternalError("share: unexpected reply of the click script");
  }
  ClickOutcome outcome;
  const int64_t kind = reply->elements[0].AsInteger().value_or(0);
  if (kind == 0) return outcome;
  outcome.post_value = reply->elements[1].AsString().value_or("");
  if (kind == 1) {
    outcome.kind = ClickOutcome::Kind::kRateLimited;
    return outcome;
  }
  outcome.kind = ClickOutcome::Kind::kCounted;
  if (reply->elements.size() >= 4) {
    outcome.new_visitor = reply->elements[2].AsInteger().value_or(0) == 1;
    outcome.unique_visitors = reply->elements[3].AsInteger().value_or(0);
  }
  return outcome;
}

absl::Status PutPost(redis::RedisClient& redis, const std::string& post_key,
                     int64_t version, const std::string& value,
                     absl::Duration ttl) {
  absl::StatusOr<redis::Reply> reply = redis.Eval(
      PutPostScript(), {post_key},
      {absl::StrCat(version), value,
       absl::StrCat(std::max<int64_t>(1, absl::ToInt64Seconds(ttl)))});
  if (!reply.ok()) return reply.status();
  return ErrorOf(*reply);
}

absl::StatusOr<std::optional<SealedBatch>> SealBatch(
    redis::RedisClient& redis, const TenantKeys& keys,
    const std::string& new_batch) {
  absl::StatusOr<redis::Reply> sealed =
      redis.Eval(SealScript(),
                 {keys.pending, keys.clicks, keys.sealed_pending,
                  keys.sealed_clicks, keys.sealed_batch},
                 {new_batch});
  if (!sealed.ok()) return sealed.status();
  if (absl::Status error = ErrorOf(*sealed); !error.ok()) return error;
  std::optional<std::string> batch = sealed->AsString();
  if (!batch.has_value()) return std::nullopt;
  const std::vector<redis::Command> reads = {
      {"HGETALL", keys.sealed_pending},
      {"LRANGE", keys.sealed_clicks, "0", "-1"}};
  absl::StatusOr<std::vector<redis::Reply>> replies = redis.Pipeline(reads);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& reply : *replies) {
    if (absl::Status error = ErrorOf(reply); !error.ok()) return error;
  }
  SealedBatch out;
  out.batch = *batch;
  const std::vector<redis::Reply>& fields = (*replies)[0].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    out.counters.emplace_back(fields[i].AsString().value_or(""),
                              fields[i + 1].AsString().value_or(""));
  }
  for (const redis::Reply& click : (*replies)[1].elements) {
    out.clicks.push_back(click.AsString().value_or(""));
  }
  return out;
}

absl::StatusOr<std::vector<MergedSketch>> MergeSketches(
    redis::RedisClient& redis, const TenantKeys& keys,
    const std::vector<std::pair<std::string, std::string>>& stored,
    absl::Duration ttl) {
  std::vector<redis::RedisClient::ScriptCall> calls;
  calls.reserve(stored.size());
  for (const auto& [scope, registers] : stored) {
    const std::string live = keys.Sketch(scope);
    calls.push_back({{live, live + ":merge"},
                     {registers, absl::StrCat(absl::ToInt64Seconds(ttl))}});
  }
  std::vector<MergedSketch> merged;
  if (calls.empty()) return merged;
  absl::StatusOr<std::vector<redis::Reply>> replies =
      redis.EvalPipeline(MergeScript(), calls);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& reply : *replies) {
    if (absl::Status error = ErrorOf(reply); !error.ok()) return error;
    if (reply.elements.size() < 2) {
      return absl::InternalError("share: unexpected reply of the merge");
    }
    merged.push_back({reply.elements[0].AsString().value_or(""),
                      reply.elements[1].AsInteger().value_or(0)});
  }
  return merged;
}

absl::Status ReleaseBatch(redis::RedisClient& redis, const TenantKeys& keys,
                          const std::string& batch) {
  absl::StatusOr<redis::Reply> reply = redis.Eval(
      ReleaseScript(),
      {keys.sealed_pending, keys.sealed_clicks, keys.sealed_batch}, {batch});
  if (!reply.ok()) return reply.status();
  return ErrorOf(*reply);
}

}  // namespace agora::share
