// What Redis holds of a ranking tenant, as plain maps the tests compare:
// the incremental path against a rebuild from PostgreSQL alone.
#ifndef AGORA_TESTS_SERVICES_RANKING_REDIS_STATE_H_
#define AGORA_TESTS_SERVICES_RANKING_REDIS_STATE_H_

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// What Redis holds of a tenant's live generation: key name after the
// generation ("tally:idea1", "b:top:s.lab~k3:d20261122") -> members with
// scores, or hash fields. Zero counts and the tally's version are left out
// (an incremented field that came back to 0 means the same as none), and
// so are the window unions (a 30-second read cache) and the kinds lookup.
using RedisState = std::map<std::string, std::map<std::string, std::string>>;

inline RedisState LiveState(RankingContext& context,
                            const std::string& tenant) {
  RedisState state;
  const RankingKeys names(context.keys, tenant);
  absl::StatusOr<redis::Reply> live =
      context.redis.Run({"GET", names.Generation()});
  if (!live.ok() || !live->AsInteger().has_value()) {
    ADD_FAILURE() << "tenant " << tenant << " has no live generation";
    return state;
  }
  const int64_t generation = *live->AsInteger();
  std::string head = names.Kinds(generation);
  head.resize(head.size() - std::string("kinds").size());
  std::string cursor = "0";
  do {
    absl::StatusOr<redis::Reply> page = context.redis.Run(
        {"SCAN", cursor, "MATCH", names.GenerationPattern(generation), "COUNT",
         "1000"});
    if (!page.ok()) {
      ADD_FAILURE() << page.status();
      return state;
    }
    cursor = page->elements[0].text;
    for (const redis::Reply& key : page->elements[1].elements) {
      const std::string name = key.text.substr(head.size());
      const std::string last = name.substr(name.rfind(':') + 1);
      if (name == "kinds" ||
          (last.size() > 1 && last[0] == 'w' && absl::ascii_isdigit(last[1]))) {
        continue;
      }
      const bool hash = context.redis.Run({"TYPE", key.text})->text == "hash";
      absl::StatusOr<redis::Reply> items =
          hash ? context.redis.Run({"HGETALL", key.text})
               : context.redis.Run(
                     {"ZRANGE", key.text, "0", "-1", "WITHSCORES"});
      if (!items.ok()) {
        ADD_FAILURE() << items.status();
        return state;
      }
      std::map<std::string, std::string>& entries = state[name];
      for (size_t i = 0; i + 1 < items->elements.size(); i += 2) {
        const std::string& field = items->elements[i].text;
        const std::string& value = items->elements[i + 1].text;
        if (hash && (field == "ver" || value == "0")) continue;
        entries[field] = value;
      }
      if (entries.empty()) state.erase(name);
    }
  } while (cursor != "0");
  return state;
}

inline std::string Diff(const RedisState& got, const RedisState& want) {
  std::string out;
  std::set<std::string> names;
  for (const auto& [name, entries] : got) names.insert(name);
  for (const auto& [name, entries] : want) names.insert(name);
  for (const std::string& name : names) {
    auto a = got.find(name);
    auto b = want.find(name);
    if (a != got.end() && b != want.end() && a->second == b->second) continue;
    absl::StrAppend(&out, name, ": redis {");
    if (a != got.end()) {
      for (const auto& [k, v] : a->second)
        absl::StrAppend(&out, k, "=", v, " ");
    }
    absl::StrAppend(&out, "} expected {");
    if (b != want.end()) {
      for (const auto& [k, v] : b->second)
        absl::StrAppend(&out, k, "=", v, " ");
    }
    absl::StrAppend(&out, "}\n");
  }
  return out;
}

}  // namespace agora::ranking

#endif  // AGORA_TESTS_SERVICES_RANKING_REDIS_STATE_H_
