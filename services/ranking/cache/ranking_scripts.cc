#include "services/ranking/cache/ranking_scripts.h"

namespace agora::ranking {
namespace {

constexpr char kGenerationCheck[] = R"lua(
local gen = redis.call('GET', KEYS[1])
if not gen then return {-3} end
if gen ~= ARGV[1] then return {-2, tonumber(gen)} end
)lua";

// Builds the cached union of a window's day buckets when it is missing.
constexpr char kWindowUnion[] = R"lua(
if #KEYS > 3 and redis.call('EXISTS', KEYS[3]) == 0 then
  local buckets = {}
  for k = 4, #KEYS do buckets[#buckets + 1] = KEYS[k] end
  redis.call('ZUNIONSTORE', KEYS[3], #buckets, unpack(buckets))
  redis.call('EXPIRE', KEYS[3], 30)
end
)lua";

}  // namespace

const redis::LuaScript& ApplyDeltasScript() {
  static const redis::LuaScript* const script =
      new redis::LuaScript(std::string(kGenerationCheck) + R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then return {-1} end
local member = ARGV[2]
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('SADD', KEYS[4], member) end
local fields = tonumber(ARGV[3])
local i = 4
for _ = 1, fields do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for k = 5, #KEYS do
  if tonumber(ARGV[i]) ~= 0 then
    local score = redis.call('ZINCRBY', KEYS[k], ARGV[i], member)
    if tonumber(score) == 0 then redis.call('ZREM', KEYS[k], member) end
    redis.call('EXPIREAT', KEYS[k], ARGV[i + 1])
  end
  i = i + 2
end
local version = redis.call('HINCRBY', KEYS[2], 'ver', 1)
return {version, redis.call('HGETALL', KEYS[2])}
)lua");
  return *script;
}

const redis::LuaScript& WriteScoresScript() {
  static const redis::LuaScript* const script =
      new redis::LuaScript(std::string(kGenerationCheck) + R"lua(
if redis.call('HGET', KEYS[2], 'ver') ~= ARGV[2] then return {0} end
local member = ARGV[3]
for k = 3, #KEYS do
  local score = ARGV[k + 1]
  if score == '' then
    redis.call('ZREM', KEYS[k], member)
  else
    redis.call('ZADD', KEYS[k], score, member)
  end
end
return {1}
)lua");
  return *script;
}

const redis::LuaScript& WriteTargetScript() {
  static const redis::LuaScript* const script =
      new redis::LuaScript(std::string(kGenerationCheck) + R"lua(
local member = ARGV[2]
local current = tonumber(redis.call('HGET', KEYS[2], 'ver') or '0')
if ARGV[4] ~= '' and current ~= tonumber(ARGV[4]) then return {-4} end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('SADD', KEYS[4], member) end
local version = current + 1
redis.call('DEL', KEYS[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[5], member, ARGV[3]) end
local fields = tonumber(ARGV[5])
local i = 6
for _ = 1, fields do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
if fields > 0 then redis.call('HSET', KEYS[2], 'ver', version) end
for k = 6, #KEYS do
  if ARGV[i] == '' then
    redis.call('ZREM', KEYS[k], member)
  else
    redis.call('ZADD', KEYS[k], ARGV[i], member)
    if ARGV[i + 1] ~= '0' then redis.call('EXPIREAT', KEYS[k], ARGV[i + 1]) end
  end
  i = i + 2
end
return {version}
)lua");
  return *script;
}

const redis::LuaScript& ReadBoardScript() {
  static const redis::LuaScript* const script =
      new redis::LuaScript(std::string(kGenerationCheck) + kWindowUnion + R"lua(
local total = redis.call('ZCARD', KEYS[3])
local page = redis.call('ZREVRANGE', KEYS[3], ARGV[2], ARGV[3], 'WITHSCORES')
local out = {}
for i = 1, #page, 2 do
  out[#out + 1] = page[i]
  out[#out + 1] = page[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], page[i]) or '0'
end
return {total, out}
)lua");
  return *script;
}

const redis::LuaScript& RankOfScript() {
  static const redis::LuaScript* const script =
      new redis::LuaScript(std::string(kGenerationCheck) + kWindowUnion + R"lua(
local total = redis.call('ZCARD', KEYS[3])
local rank = redis.call('ZREVRANK', KEYS[3], ARGV[2])
if not rank then return {total, -1, '0', {}} end
local first = rank - 1
if first < 0 then first = 0 end
local around = redis.call('ZREVRANGE', KEYS[3], first, rank + 1, 'WITHSCORES')
local out = {}
for i = 1, #around, 2 do
  out[#out + 1] = around[i]
  out[#out + 1] = around[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], around[i]) or '0'
end
return {total, rank, redis.call('ZSCORE', KEYS[3], ARGV[2]), out}
)lua");
  return *script;
}

}  // namespace agora::ranking
