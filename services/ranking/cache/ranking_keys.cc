#include "services/ranking/cache/ranking_keys.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace agora::ranking {

std::string Scope::Encode() const {
  std::string out = !space.empty()      ? absl::StrCat("s.", space)
                    : !category.empty() ? absl::StrCat("c.", category)
                    : !round.empty()    ? absl::StrCat("r.", round)
                                        : std::string("t");
  if (kind != common::v1::CONTENT_KIND_UNSPECIFIED) {
    absl::StrAppend(&out, "~k", static_cast<int>(kind));
  }
  return out;
}

namespace {

Scope SpaceScope(const std::string& space) {
  Scope scope;
  scope.space = space;
  return scope;
}

}  // namespace

std::vector<Scope> ScopesOf(const PostInfo& post) {
  std::vector<Scope> narrow = {Scope{}};
  if (!post.space.empty()) narrow.push_back(SpaceScope(post.space));
  if (!post.category.empty()) {
    narrow.emplace_back();
    narrow.back().category = post.category;
  }
  if (!post.round.empty()) {
    narrow.emplace_back();
    narrow.back().round = post.round;
  }
  std::vector<Scope> scopes;
  for (const Scope& scope : narrow) {
    scopes.push_back(scope);
    Scope with_kind = scope;
    with_kind.kind = post.kind;
    scopes.push_back(with_kind);
  }
  return scopes;
}

std::vector<Scope> MemberScopesOf(const PostInfo& post) {
  std::vector<Scope> scopes = {Scope{}};
  if (!post.space.empty()) scopes.push_back(SpaceScope(post.space));
  return scopes;
}

std::string BoardName(v1::Board board) {
  switch (board) {
    case v1::BOARD_HOT:
      return "hot";
    case v1::BOARD_BEST:
      return "best";
    case v1::BOARD_TOP:
      return "top";
    case v1::BOARD_CONTROVERSIAL:
      return "controversial";
    case v1::BOARD_MOST_COMMENTED:
      return "commented";
    case v1::BOARD_TRENDING:
      return "trending";
    case v1::BOARD_MOST_ACTIVE_MEMBERS:
      return "active";
    case v1::BOARD_MOST_SHARED:
      return "shared";
    default:
      return "unknown";
  }
}

RankingKeys::RankingKeys(const redis::KeyBuilder& keys, std::string tenant)
    : prefix_(keys.TenantKey(tenant, {"rk"}).value_or("")),
      tenant_(std::move(tenant)) {}

std::string RankingKeys::Key(
    std::initializer_list<absl::string_view> parts) const {
  std::string key = prefix_;
  for (absl::string_view part : parts) absl::StrAppend(&key, ":", part);
  return key;
}

std::string RankingKeys::Generation() const { return Key({"gen"}); }

std::string RankingKeys::RebuildLock() const { return Key({"rebuilding"}); }

std::string RankingKeys::Touched() const { return Key({"touched"}); }

std::string RankingKeys::NextGeneration() const { return Key({"nextgen"}); }

std::string RankingKeys::TrendingKeys(int64_t generation) const {
  return Key({"trending-keys", absl::StrCat(generation)});
}

std::string RankingKeys::Tally(int64_t generation,
                               const std::string& post) const {
  return Key({absl::StrCat(generation), "tally", post});
}

std::string RankingKeys::Kinds(int64_t generation) const {
  return Key({absl::StrCat(generation), "kinds"});
}

std::string RankingKeys::Board(int64_t generation, v1::Board board,
                               const Scope& scope) const {
  return Key({absl::StrCat(generation), "b", BoardName(board), scope.Encode()});
}

std::string RankingKeys::DayBucket(int64_t generation, v1::Board board,
                                   const Scope& scope,
                                   absl::CivilDay day) const {
  return Key(
      {absl::StrCat(generation), "b", BoardName(board), scope.Encode(),
       absl::StrFormat("d%04d%02d%02d", day.year(), day.month(), day.day())});
}

std::string RankingKeys::WindowUnion(int64_t generation, v1::Board board,
                                     const Scope& scope, int days,
                                     absl::CivilDay today) const {
  return Key({absl::StrCat(generation), "b", BoardName(board), scope.Encode(),
              absl::StrFormat("w%d.%04d%02d%02d", days, today.year(),
                              today.month(), today.day())});
}

std::string RankingKeys::GenerationPattern(int64_t generation) const {
  // The hash tag's braces are glob characters for SCAN MATCH: escape them.
  std::string pattern;
  for (char c : Key({absl::StrCat(generation)})) {
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == '*' || c == '?' ||
        c == '\\') {
      pattern += '\\';
    }
    pattern += c;
  }
  return pattern + ":*";
}

int64_t BucketExpiry(absl::CivilDay day) {
  // Day buckets are named by the tenant's calendar day; expiring them a
  // little over a month after that day (in UTC) is precise enough.
  return absl::ToUnixSeconds(
      absl::FromCivil(day + kBucketDays + 2, absl::UTCTimeZone()));
}

}  // namespace agora::ranking
