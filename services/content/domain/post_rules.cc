#include "services/content/domain/post_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/api/text_rules.h"
#include "libs/status/error_details.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool HasTitle(common::ContentKind kind) { return IsTopLevel(kind); }

bool HasTags(common::ContentKind kind) {
  return kind == common::CONTENT_KIND_QUESTION ||
         kind == common::CONTENT_KIND_IDEA ||
         kind == common::CONTENT_KIND_ARTICLE;
}

// The host of an https URL already checked by ValidateHttpsUrl, lowercase,
// without port.
std::string HostOf(absl::string_view url) {
  absl::string_view rest = url.substr(8);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  rest = rest.substr(0, rest.find(':'));
  return absl::AsciiStrToLower(rest);
}

bool HostAllowed(
    const std::string& host,
    const google::protobuf::RepeatedPtrField<std::string>& allowed) {
  for (const std::string& pattern : allowed) {
    if (absl::StartsWith(pattern, "*.")) {
      if (absl::EndsWith(host, pattern.substr(1))) return true;
    } else if (host == pattern) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsTopLevel(common::ContentKind kind) {
  switch (kind) {
    case common::CONTENT_KIND_QUESTION:
    case common::CONTENT_KIND_IDEA:
    case common::CONTENT_KIND_ARTICLE:
    case common::CONTENT_KIND_REVIEW:
    case common::CONTENT_KIND_CONTEST_ENTRY:
      return true;
    default:
      return false;
  }
}

bool SpaceAccepts(v1::SpaceKind space_kind, common::ContentKind kind) {
  switch (space_kind) {
    case v1::SPACE_KIND_FORUM:
    case v1::SPACE_KIND_QUESTIONS:
      return kind == common::CONTENT_KIND_QUESTION;
    case v1::SPACE_KIND_IDEA_LAB:
      return kind == common::CONTENT_KIND_IDEA;
    case v1::SPACE_KIND_BLOG:
      return kind == common::CONTENT_KIND_ARTICLE;
    case v1::SPACE_KIND_REVIEWS:
      return kind == common::CONTENT_KIND_REVIEW;
    case v1::SPACE_KIND_CONTESTS:
      return kind == common::CONTENT_KIND_CONTEST_ENTRY;
    default:
      return false;
  }
}

absl::Status ValidateTitle(common::ContentKind kind, absl::string_view title) {
  if (!HasTitle(kind)) {
    return title.empty() ? absl::OkStatus()
                         : Invalid("post.title",
                                   "must be empty for answers and comments");
  }
  return api::ValidateText("post.title", title, 1, kMaxTitle);
}

absl::Status ValidateBody(absl::string_view field, absl::string_view body,
                          int max) {
  return api::ValidateText(field, body, 1, max, /*multiline=*/true);
}

absl::Status ValidateTags(
    common::ContentKind kind,
    const google::protobuf::RepeatedPtrField<std::string>& tags) {
  if (tags.empty()) return absl::OkStatus();
  if (!HasTags(kind)) {
    return Invalid("post.tags", "only questions, ideas and articles have tags");
  }
  if (tags.size() > kMaxTags) {
    return Invalid("post.tags", absl::StrCat("at most ", kMaxTags, " tags"));
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < tags.size(); ++i) {
    const std::string& tag = tags[i];
    const std::string field = absl::StrCat("post.tags[", i, "]");
    bool ok = !tag.empty() && tag.size() <= kMaxTag;
    for (char c : tag) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }
    if (!ok) {
      return Invalid(
          field, absl::StrCat("1-", kMaxTag, " characters of a-z, 0-9 and -"));
    }
    if (!seen.insert(tag).second) return Invalid(field, "repeated tag");
  }
  return absl::OkStatus();
}

absl::Status ValidateMediaUrl(
    absl::string_view field, absl::string_view url,
    const google::protobuf::RepeatedPtrField<std::string>& allowed_hosts) {
  if (url.empty()) return absl::OkStatus();
  if (absl::Status status = api::ValidateHttpsUrl(field, url); !status.ok()) {
    return status;
  }
  if (!HostAllowed(HostOf(url), allowed_hosts)) {
    return status::WithReason(
        Invalid(field, "host is not one of the tenant's allowed media hosts"),
        "HOST_NOT_ALLOWED");
  }
  return absl::OkStatus();
}

absl::Status ValidateDetails(const v1::Post& post,
                             const v1::ContentSettings& settings) {
  const common::ContentKind kind = post.kind();
  const v1::Post::DetailsCase details = post.details_case();
  const auto details_of_kind = [&](v1::Post::DetailsCase expected) {
    if (details != v1::Post::DETAILS_NOT_SET && details != expected) {
      return Invalid("post.details", "does not match post.kind");
    }
    return absl::OkStatus();
  };
  switch (kind) {
    case common::CONTENT_KIND_QUESTION:
      return details_of_kind(v1::Post::kQuestion);
    case common::CONTENT_KIND_ANSWER:
      return details_of_kind(v1::Post::kAnswer);
    case common::CONTENT_KIND_IDEA:
      return details_of_kind(v1::Post::kIdea);
    case common::CONTENT_KIND_COMMENT:
      return details_of_kind(v1::Post::DETAILS_NOT_SET);
    case common::CONTENT_KIND_ARTICLE: {
      if (absl::Status s = details_of_kind(v1::Post::kArticle); !s.ok()) {
        return s;
      }
      if (absl::Status s = api::ValidateText("post.article.summary",
                                             post.article().summary(), 0,
                                             kMaxArticleSummary);
          !s.ok()) {
        return s;
      }
      return ValidateMediaUrl("post.article.cover_image_uri",
                              post.article().cover_image_uri(),
                              settings.allowed_media_hosts());
    }
    case common::CONTENT_KIND_REVIEW: {
      if (details != v1::Post::kReview) {
        return Invalid("post.review", "required for reviews");
      }
      const v1::ReviewDetails& review = post.review();
      if (review.product().empty()) {
        return Invalid("post.review.product", "required");
      }
      if (review.rating() < 1 || review.rating() > 5) {
        return Invalid("post.review.rating", "must be 1-5 stars");
      }
      if (absl::Status s = api::ValidateText("post.review.pros", review.pros(),
                                             0, kMaxReviewText, true);
          !s.ok()) {
        return s;
      }
      return api::ValidateText("post.review.cons", review.cons(), 0,
                               kMaxReviewText, true);
    }
    case common::CONTENT_KIND_CONTEST_ENTRY: {
      if (details != v1::Post::kContestEntry) {
        return Invalid("post.contest_entry", "required for contest entries");
      }
      const v1::ContestEntryDetails& entry = post.contest_entry();
      if (entry.round().empty()) {
        return Invalid("post.contest_entry.round", "required");
      }
      if (absl::Status s = ValidateMediaUrl("post.contest_entry.image_uri",
                                            entry.image_uri(),
                                            settings.allowed_media_hosts());
          !s.ok()) {
        return s;
      }
      return ValidateMediaUrl("post.contest_entry.video_uri", entry.video_uri(),
                              settings.allowed_media_hosts());
    }
    default:
      return Invalid("post.kind", "required");
  }
}

}  // namespace agora::content
