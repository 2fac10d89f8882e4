#include "services/moderation/domain/author_history.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/logging/log.h"

namespace agora::moderation {
namespace {

constexpr int kRecentPostsKept = 50;

uint64_t Fnv1a(absl::string_view text, uint64_t seed) {
  uint64_t hash = 14695981039346656037ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// Words: runs of ASCII letters/digits or any non-ASCII byte (UTF-8 letters),
// lower-cased.
std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c >= 0x80) {
      word.push_back(static_cast<char>(absl::ascii_tolower(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string Encode(const MinHashSignature& signature) {
  return absl::StrJoin(signature, ",");
}

std::optional<MinHashSignature> Decode(absl::string_view text) {
  MinHashSignature signature{};
  std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  if (parts.size() != kMinHashSize) return std::nullopt;
  for (int i = 0; i < kMinHashSize; ++i) {
    if (!absl::SimpleAtoi(parts[i], &signature[i])) return std::nullopt;
  }
  return signature;
}

}  // namespace

MinHashSignature SignatureOf(absl::string_view text) {
  MinHashSignature signature;
  signature.fill(std::numeric_limits<uint64_t>::max());
  const std::vector<std::string> words = Words(text);
  const size_t width = std::min<size_t>(3, std::max<size_t>(words.size(), 1));
  for (size_t i = 0; i + width <= words.size(); ++i) {
    const std::string shingle =
        absl::StrJoin(words.begin() + i, words.begin() + i + width, " ");
    for (int k = 0; k < kMinHashSize; ++k) {
      signature[k] = std::min(signature[k], Fnv1a(shingle, k + 1));
    }
  }
  return signature;
}

double Similarity(const MinHashSignature& a, const MinHashSignature& b) {
  if (a[0] == std::numeric_limits<uint64_t>::max() ||
      b[0] == std::numeric_limits<uint64_t>::max()) {
    return 0;  // an empty text resembles nothing
  }
  int same = 0;
  for (int k = 0; k < kMinHashSize; ++k) same += a[k] == b[k] ? 1 : 0;
  return static_cast<double>(same) / kMinHashSize;
}

std::optional<AuthorActivity> CheckAndRecordAuthorActivity(
    ModerationContext& context, const std::string& tenant,
    const std::string& author, const std::string& post,
    const MinHashSignature& signature, absl::Duration lookback, bool record) {
  absl::StatusOr<std::string> recent_key =
      context.keys.TenantKey(tenant, {"moderation", "recent", author});
  absl::StatusOr<std::string> times_key =
      context.keys.TenantKey(tenant, {"moderation", "posting", author});
  if (!recent_key.ok() || !times_key.ok()) return std::nullopt;
  const absl::Time now = context.now();
  const int64_t now_ms = absl::ToUnixMillis(now);
  // Entries: "<time ms>|<post>|<signature>".
  std::vector<redis::Command> commands = {
      {"LRANGE", *recent_key, "0", absl::StrCat(kRecentPostsKept - 1)},
      {"ZREMRANGEBYSCORE", *times_key, "-inf", absl::StrCat(now_ms - 600'000)},
  };
  if (record) {
    commands.push_back({"ZADD", *times_key, absl::StrCat(now_ms),
                        absl::StrCat(post, "@", now_ms)});
    commands.push_back({"EXPIRE", *times_key, "1200"});
    commands.push_back(
        {"LPUSH", *recent_key,
         absl::StrCat(now_ms, "|", post, "|", Encode(signature))});
    commands.push_back(
        {"LTRIM", *recent_key, "0", absl::StrCat(kRecentPostsKept - 1)});
    commands.push_back(
        {"EXPIRE", *recent_key,
         absl::StrCat(std::max<int64_t>(60, absl::ToInt64Seconds(lookback)))});
  }
  commands.push_back({"ZCARD", *times_key});
  absl::StatusOr<std::vector<redis::Reply>> replies =
      context.redis.Pipeline(commands);
  if (!replies.ok()) {
    logging::Warn(
        "moderation: author history unavailable; duplicate and velocity checks "
        "skipped",
        {{"error", replies.status().ToString()}});
    return std::nullopt;
  }
  AuthorActivity activity;
  const int64_t oldest_ms = now_ms - absl::ToInt64Milliseconds(lookback);
  for (const redis::Reply& entry : (*replies)[0].elements) {
    const std::vector<absl::string_view> parts =
        absl::StrSplit(entry.text, absl::MaxSplits('|', 2));
    int64_t time_ms = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &time_ms) ||
        time_ms < oldest_ms || parts[1] == post) {
      continue;
    }
    std::optional<MinHashSignature> other = Decode(parts[2]);
    if (!other) continue;
    const double similarity = Similarity(signature, *other);
    if (similarity > activity.max_similarity) {
      activity.max_similarity = similarity;
      activity.most_similar_post = std::string(parts[1]);
    }
  }
  activity.posts_last_10_minutes =
      static_cast<int>(replies->back().AsInteger().value_or(0));
  return activity;
}

}  // namespace agora::moderation
