#include "services/content/domain/search.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/post_rules.h"
#include "services/content/domain/post_view.h"
#include "services/content/repository/post_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr int kMaxQuery = 200;
constexpr int kMaxFilterTags = 5;

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// Bytes of the UTF-8 sequence starting with `lead` (1 for stray bytes, so
// that the loop always advances).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= TimeUtil::kTimestampMinSeconds &&
         t.seconds() <= TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

absl::Status ParseTimeRange(absl::string_view field,
                            const common::TimeRange& range,
                            PostFilters& filters) {
  if (range.has_start_time()) {
    if (!IsValidTimestamp(range.start_time())) {
      return Invalid(absl::StrCat(field, ".start_time"),
                     "not a valid timestamp");
    }
    filters.created_from = TimeOf(range.start_time());
  }
  if (range.has_end_time()) {
    if (!IsValidTimestamp(range.end_time())) {
      return Invalid(absl::StrCat(field, ".end_time"), "not a valid timestamp");
    }
    filters.created_before = TimeOf(range.end_time());
  }
  if (filters.created_from.has_value() && filters.created_before.has_value() &&
      *filters.created_from >= *filters.created_before) {
    return Invalid(field, "start_time must be before end_time");
  }
  return absl::OkStatus();
}

absl::Status ParseFilters(const v1::SearchPostsRequest& request,
                          const std::string& tenant,
                          const auth::Principal* caller, PostFilters& filters) {
  if (request.kinds_size() > 7) return Invalid("kinds", "at most 7");
  for (int kind : request.kinds()) {
    if (kind == common::CONTENT_KIND_UNSPECIFIED ||
        !common::ContentKind_IsValid(kind)) {
      return Invalid("kinds", "unknown kind");
    }
    filters.kinds.push_back(kind);
  }
  if (!request.space().empty()) {
    if (absl::Status s =
            ParseSpaceFilter("space", request.space(), tenant, filters);
        !s.ok()) {
      return s;
    }
  }
  if (!request.category().empty()) {
    if (absl::Status s = ParseCategoryFilter("category", request.category(),
                                             tenant, filters);
        !s.ok()) {
      return s;
    }
  }
  if (request.tags_size() > kMaxFilterTags) {
    return Invalid("tags", absl::StrCat("at most ", kMaxFilterTags));
  }
  for (int i = 0; i < request.tags_size(); ++i) {
    const std::string& tag = request.tags(i);
    bool ok = !tag.empty() && tag.size() <= size_t{kMaxTag};
    for (char c : tag) {
      ok = ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-');
    }
    if (!ok) {
      return Invalid(
          absl::StrCat("tags[", i, "]"),
          absl::StrCat("1-", kMaxTag, " characters of a-z, 0-9 and -"));
    }
    filters.tags.push_back(tag);
  }
  if (request.idea_statuses_size() > 7) {
    return Invalid("idea_statuses", "at most 7");
  }
  for (int status : request.idea_statuses()) {
    if (status == common::IDEA_STATUS_UNSPECIFIED ||
        !common::IdeaStatus_IsValid(status)) {
      return Invalid("idea_statuses", "unknown status");
    }
    filters.idea_statuses.push_back(status);
  }
  if (!request.author().empty()) {
    if (absl::Status s = ParseAuthorFilter("author", request.author(), tenant,
                                           caller, filters);
        !s.ok()) {
      return s;
    }
  }
  if (request.has_create_time_range()) {
    if (absl::Status s = ParseTimeRange("create_time_range",
                                        request.create_time_range(), filters);
        !s.ok()) {
      return s;
    }
  }
  filters.unanswered_only = request.unanswered_only();
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseSpaceFilter(absl::string_view field, const std::string& name,
                              const std::string& tenant, PostFilters& filters) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "spaces"});
  if (!parts.ok()) return parts.status();
  if ((*parts)[0] != tenant) {
    return Invalid(field, "must belong to the same tenant as parent");
  }
  filters.space = (*parts)[1];
  return absl::OkStatus();
}

absl::Status ParseCategoryFilter(absl::string_view field,
                                 const std::string& name,
                                 const std::string& tenant,
                                 PostFilters& filters) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "spaces", "categories"});
  if (!parts.ok()) return parts.status();
  if ((*parts)[0] != tenant) {
    return Invalid(field, "must belong to the same tenant as parent");
  }
  if (!filters.space.empty() && filters.space != (*parts)[1]) {
    return Invalid(field, "must be a category of `space`");
  }
  filters.space = (*parts)[1];
  filters.category = (*parts)[2];
  return absl::OkStatus();
}

absl::Status ParseAuthorFilter(absl::string_view field, const std::string& name,
                               const std::string& tenant,
                               const auth::Principal* caller,
                               PostFilters& filters) {
  absl::StatusOr<api::MemberName> member =
      api::ParseMemberName(field, name, caller);
  if (!member.ok()) return member.status();
  if (member->tenant != tenant) {
    return Invalid(field, "must belong to the same tenant as parent");
  }
  filters.author = member->member;
  return absl::OkStatus();
}

Snippet SnippetOf(absl::string_view headline, int max_code_points) {
  Snippet snippet;
  // Byte offset of each code point of the text, to cut it.
  std::vector<size_t> offsets;
  bool pending_space = false;
  int open = -1;
  const auto flush_space = [&] {
    if (pending_space && !offsets.empty()) {
      offsets.push_back(snippet.text.size());
      snippet.text.push_back(' ');
    }
    pending_space = false;
  };
  for (size_t i = 0; i < headline.size();) {
    const size_t length =
        std::min(SequenceLength(headline[i]), headline.size() - i);
    const absl::string_view point = headline.substr(i, length);
    i += length;
    if (point == kHighlightStart) {
      flush_space();
      open = static_cast<int>(offsets.size());
    } else if (point == kHighlightStop) {
      const int end = static_cast<int>(offsets.size());
      if (open >= 0 && end > open) {
        v1::TextSpan& span = snippet.highlights.emplace_back();
        span.set_start(open);
        span.set_length(end - open);
      }
      open = -1;
    } else if (length == 1 && absl::ascii_isspace(point[0])) {
      pending_space = true;
    } else {
      flush_space();
      offsets.push_back(snippet.text.size());
      snippet.text.append(point.data(), point.size());
    }
  }
  if (static_cast<int>(offsets.size()) <= max_code_points) return snippet;
  // Cut, leaving room for the ellipsis, and without a space before it.
  int cut = max_code_points - 1;
  while (cut > 0 && snippet.text[offsets[cut - 1]] == ' ') --cut;
  snippet.text.resize(offsets[cut]);
  snippet.text.append("…");
  std::vector<v1::TextSpan> kept;
  for (v1::TextSpan& span : snippet.highlights) {
    if (span.start() >= cut) break;
    span.set_length(std::min(span.length(), cut - span.start()));
    kept.push_back(std::move(span));
  }
  snippet.highlights = std::move(kept);
  return snippet;
}

absl::StatusOr<v1::SearchPostsResponse> SearchPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::SearchPostsRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s =
          api::ValidateText("query", request.query(), 1, kMaxQuery);
      !s.ok()) {
    return s;
  }
  const std::string query(absl::StripAsciiWhitespace(request.query()));
  if (query.empty()) return Invalid("query", "must contain a word");
  if (!request.language().empty()) {
    if (absl::Status s =
            api::ValidateLanguageTag("language", request.language());
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<int> size = api::PageSize(request.page_size(), 20, 50);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> offset = api::DecodeOffsetToken(request.page_token());
  if (!offset.ok()) return offset.status();
  PostFilters filters;
  if (absl::Status s = ParseFilters(request, *tenant, caller, filters);
      !s.ok()) {
    return s;
  }

  v1::SearchPostsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        std::optional<TenantFacts> facts = FindTenantFacts(tx, *tenant);
        if (!facts.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.parent(), " not found"));
        }
        const std::string language = request.language().empty()
                                         ? facts->default_language
                                         : request.language();
        const SearchPage page = SearchPostRows(tx, *tenant, language, query,
                                               filters, *size, *offset);
        std::vector<std::string> ids;
        for (const SearchHit& hit : page.hits) ids.push_back(hit.id);
        absl::flat_hash_map<std::string, StoredPost> found;
        for (StoredPost& post : FindPosts(tx, *tenant, ids)) {
          found.emplace(post.id, std::move(post));
        }
        for (const SearchHit& hit : page.hits) {
          auto it = found.find(hit.id);
          if (it == found.end() || !CanSee(it->second, caller)) continue;
          v1::SearchResult& result = *response.add_results();
          *result.mutable_post() = ViewOf(it->second, caller);
          Snippet snippet = SnippetOf(hit.headline);
          result.set_snippet(std::move(snippet.text));
          for (v1::TextSpan& span : snippet.highlights) {
            *result.add_highlights() = std::move(span);
          }
          result.set_relevance(hit.relevance);
        }
        response.set_total_size(page.total);
        if (page.more) {
          response.set_next_page_token(api::EncodePageToken(std::to_string(
              *offset + static_cast<int64_t>(page.hits.size()))));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace agora::content
