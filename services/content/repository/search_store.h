// The queries behind search, similar-post suggestions and the figures
// (counts, accountability): the search index and trigram indexes of
// migration 0003, and aggregates over posts. Filters come in validated
// (ids within the tenant); every value reaches PostgreSQL as a parameter.
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_SEARCH_STORE_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_SEARCH_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"

namespace agora::content {

// Filters over a tenant's posts; empty members filter nothing.
struct PostFilters {
  std::vector<int> kinds;          // ContentKind values
  std::string space;               // space id
  std::string category;            // category id (within `space`)
  std::vector<std::string> tags;   // posts carrying all of them
  std::vector<int> idea_statuses;  // ideas in one of these statuses
  std::string author;              // member id (never a service account)
  std::optional<absl::Time> created_from;    // inclusive
  std::optional<absl::Time> created_before;  // exclusive
  bool unanswered_only = false;  // questions without an accepted answer
};

// The markers ts_headline puts around matches in a headline (private-use
// code points, removed from the text beforehand so that they mark only
// matches).
inline constexpr char kHighlightStart[] = "\xee\x80\x80";  // U+E000
inline constexpr char kHighlightStop[] = "\xee\x80\x81";   // U+E001

struct SearchHit {
  std::string id;
  double relevance = 0;
  // ts_headline of the body with kHighlightStart/Stop around matches.
  std::string headline;
};
struct SearchPage {
  std::vector<SearchHit> hits;  // most relevant first
  int64_t total = 0;            // every match, not just this page
  bool more = false;            // another page has hits
};

// Published posts of `tenant` matching `query` (websearch_to_tsquery
// syntax) parsed in `language`'s configuration, ranked by ts_rank_cd with
// titles above tags above bodies. Past 5,000 matches, only the 5,000
// newest are ranked (and paged); `total` still counts them all.
SearchPage SearchPostRows(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& language, const std::string& query,
                          const PostFilters& filters, int limit,
                          int64_t offset);

struct SimilarHit {
  std::string id;
  double similarity = 0;
};

// Published posts of `kind` (QUESTION or IDEA, merged duplicates left out)
// whose title, or title and start of body, is at least `threshold` similar
// to the draft's (trigrams, case and accents ignored); most similar first.
// An empty `body` compares titles only.
std::vector<SimilarHit> SimilarPostRows(
    pqxx::transaction_base& tx, const std::string& tenant, int kind,
    const std::string& space, const std::string& title, const std::string& body,
    double threshold, int limit, int64_t offset);

// True when the space (and the category within it, when given) exists.
bool SpaceExists(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& space);
bool CategoryExists(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& space, const std::string& category);

// Posts per (kind, state) matching space, category and author; only
// PUBLISHED ones unless `every_state`. Zero counts are absent.
std::vector<v1::PostCount> CountPostRows(pqxx::transaction_base& tx,
                                         const std::string& tenant,
                                         const PostFilters& filters,
                                         bool every_state);

// Published ideas per status matching space, category and author.
std::vector<v1::IdeaStatusCount> CountIdeaStatusRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const PostFilters& filters);

// Published questions of QUESTIONS spaces without an accepted answer, by
// age at `now` (since publication), matching space, category and author.
v1::UnansweredQuestions CountUnanswered(pqxx::transaction_base& tx,
                                        const std::string& tenant,
                                        const PostFilters& filters,
                                        absl::Time now);

// Accountability figures over published ideas and questions created in
// [from, to) (in `space` when not empty). Medians are absent without data.
struct AccountabilityFigures {
  int64_t ideas_published = 0;
  int64_t ideas_responded_in_target = 0;
  std::optional<absl::Duration> median_time_to_official_response;
  int64_t questions_published = 0;
  int64_t questions_accepted = 0;
  std::optional<absl::Duration> median_time_to_first_answer;
  std::optional<absl::Duration> median_time_to_accepted_answer;
};
AccountabilityFigures ComputeAccountability(pqxx::transaction_base& tx,
                                            const std::string& tenant,
                                            const std::string& space,
                                            absl::Time from, absl::Time to,
                                            absl::Duration response_target);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_SEARCH_STORE_H_
