// What screening needs to know about an author's recent posts, kept in
// Redis (rebuildable, never the source of truth): MinHash signatures of
// their recent texts, for near-duplicate detection (Jaccard similarity of
// word 3-shingles), and their posting times, for velocity. A Redis outage
// skips these two checks (logged) instead of failing screening: they are
// spam heuristics, while personal-data masking never depends on Redis.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_AUTHOR_HISTORY_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_AUTHOR_HISTORY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

inline constexpr int kMinHashSize = 32;
using MinHashSignature = std::array<uint64_t, kMinHashSize>;

// The MinHash signature of a text's word 3-shingles (lower-cased, words of
// letters and digits). Stable across processes (FNV-1a based).
MinHashSignature SignatureOf(absl::string_view text);

// Estimated Jaccard similarity of two signatures, 0-1.
double Similarity(const MinHashSignature& a, const MinHashSignature& b);

struct AuthorActivity {
  double max_similarity = 0;      // to the author's recent posts
  std::string most_similar_post;  // the post it resembles most
  int posts_last_10_minutes = 0;  // including this one when recorded
};

// Compares `signature` with the author's posts of the last `lookback`
// (skipping `post` itself, for edits) and, when `record` is true, records
// this post and its time. nullopt when Redis could not be reached.
std::optional<AuthorActivity> CheckAndRecordAuthorActivity(
    ModerationContext& context, const std::string& tenant,
    const std::string& author, const std::string& post,
    const MinHashSignature& signature, absl::Duration lookback, bool record);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_AUTHOR_HISTORY_H_
