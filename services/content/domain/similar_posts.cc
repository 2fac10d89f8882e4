#include "services/content/domain/similar_posts.h"

#include <pqxx/pqxx>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/post_view.h"
#include "services/content/domain/search.h"
#include "services/content/repository/post_store.h"
#include "services/content/repository/search_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;

// The contract reads at most this much of the draft's body; the store
// compares only its first 300 characters (similarity_head).
constexpr int kMaxBody = 2000;
// A body shorter than this (a few words) is left out: it adds little to the
// title, and comparing a short text with every post's start is what makes
// the trigram index unselective (search_store.h).
constexpr int kMinBody = 30;

// The first `max` code points of valid UTF-8 `text`.
std::string FirstCodePoints(const std::string& text, int max) {
  int count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Each code point starts with a byte that is not a continuation byte.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++count > max) {
      return text.substr(0, i);
    }
  }
  return text;
}

}  // namespace

absl::StatusOr<v1::ListSimilarPostsResponse> ListSimilarPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListSimilarPostsRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (request.kind() != common::CONTENT_KIND_QUESTION &&
      request.kind() != common::CONTENT_KIND_IDEA) {
    return absl::InvalidArgumentError("kind: must be QUESTION or IDEA");
  }
  if (absl::Status s = api::ValidateText("title", request.title(), 3, 200);
      !s.ok()) {
    return s;
  }
  // Longer bodies are cut, not refused: the draft is being typed.
  if (api::CodePointCount(request.body()) < 0) {
    return absl::InvalidArgumentError("body: must be valid UTF-8");
  }
  std::string body = FirstCodePoints(
      std::string(absl::StripAsciiWhitespace(request.body())), kMaxBody);
  if (api::CodePointCount(body) < kMinBody) body.clear();
  PostFilters filters;
  if (!request.space().empty()) {
    if (absl::Status s =
            ParseSpaceFilter("space", request.space(), *tenant, filters);
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<int> size = api::PageSize(request.page_size(), 5, 10);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> offset = api::DecodeOffsetToken(request.page_token());
  if (!offset.ok()) return offset.status();

  v1::ListSimilarPostsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        if (absl::Status s = RequireKnownTenant(tx, *tenant); !s.ok()) {
          return s;
        }
        // One more than the page tells whether there is a next one.
        std::vector<SimilarHit> hits = SimilarPostRows(
            tx, *tenant, request.kind(), filters.space, request.title(), body,
            kSimilarityThreshold, *size + 1, *offset);
        const bool more = hits.size() > static_cast<size_t>(*size);
        if (more) hits.resize(*size);
        std::vector<std::string> ids;
        for (const SimilarHit& hit : hits) ids.push_back(hit.id);
        absl::flat_hash_map<std::string, StoredPost> found;
        for (StoredPost& post : FindPosts(tx, *tenant, ids)) {
          found.emplace(post.id, std::move(post));
        }
        for (const SimilarHit& hit : hits) {
          auto it = found.find(hit.id);
          if (it == found.end() || !CanSee(it->second, caller)) continue;
          v1::SimilarPost& similar = *response.add_similar_posts();
          *similar.mutable_post() = ViewOf(it->second, caller);
          similar.set_similarity(hit.similarity);
        }
        if (more) {
          response.set_next_page_token(
              api::EncodePageToken(std::to_string(*offset + *size)));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace agora::content
