#include "services/content/domain/figures.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/resource_names.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/access.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/search.h"
#include "services/content/repository/search_store.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kMinResponseTarget = absl::Hours(24);
constexpr absl::Duration kMaxResponseTarget = absl::Hours(24 * 365);
// When the tenant's settings have no target (DefaultContentSettings has 30
// days).
constexpr absl::Duration kFallbackResponseTarget = absl::Hours(24 * 30);

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= TimeUtil::kTimestampMinSeconds &&
         t.seconds() <= TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

google::protobuf::Duration DurationOf(absl::Duration duration) {
  return TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(duration));
}

double Share(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

// NOT_FOUND unless the tenant, and the space and category filtered on,
// exist.
absl::Status RequireKnown(pqxx::transaction_base& tx, const std::string& tenant,
                          const PostFilters& filters) {
  if (absl::Status s = RequireKnownTenant(tx, tenant); !s.ok()) return s;
  if (!filters.space.empty() && !SpaceExists(tx, tenant, filters.space)) {
    return absl::NotFoundError(absl::StrCat("tenants/", tenant, "/spaces/",
                                            filters.space, " not found"));
  }
  if (!filters.category.empty() &&
      !CategoryExists(tx, tenant, filters.space, filters.category)) {
    return absl::NotFoundError(absl::StrCat("tenants/", tenant, "/spaces/",
                                            filters.space, "/categories/",
                                            filters.category, " not found"));
  }
  return absl::OkStatus();
}

struct Window {
  absl::Time start;
  absl::Time end;
};

absl::StatusOr<Window> WindowOf(const common::v1::TimeRange& window,
                                absl::Time now) {
  absl::Time end = now;
  if (window.has_end_time()) {
    if (!IsValidTimestamp(window.end_time())) {
      return Invalid("window.end_time", "not a valid timestamp");
    }
    end = TimeOf(window.end_time());
  }
  // An unset start would be unbounded, which the 366-day limit forbids:
  // it means the default window before `end`.
  absl::Time start = end - kDefaultReportWindow;
  if (window.has_start_time()) {
    if (!IsValidTimestamp(window.start_time())) {
      return Invalid("window.start_time", "not a valid timestamp");
    }
    start = TimeOf(window.start_time());
  }
  if (start >= end)
    return Invalid("window", "start_time must be before end_time");
  if (end - start > kMaxReportWindow)
    return Invalid("window", "at most 366 days");
  return Window{start, end};
}

}  // namespace

absl::StatusOr<v1::CountPostsResponse> CountPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::CountPostsRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  PostFilters filters;
  if (!request.space().empty()) {
    if (absl::Status s =
            ParseSpaceFilter("space", request.space(), *tenant, filters);
        !s.ok()) {
      return s;
    }
  }
  if (!request.category().empty()) {
    if (absl::Status s = ParseCategoryFilter("category", request.category(),
                                             *tenant, filters);
        !s.ok()) {
      return s;
    }
  }
  if (!request.author().empty()) {
    if (absl::Status s = ParseAuthorFilter("author", request.author(), *tenant,
                                           caller, filters);
        !s.ok()) {
      return s;
    }
  }
  const bool every_state = IsModerator(caller, *tenant);
  const absl::Time now = context.now();
  v1::CountPostsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        if (absl::Status s = RequireKnown(tx, *tenant, filters); !s.ok()) {
          return s;
        }
        for (v1::PostCount& count :
             CountPostRows(tx, *tenant, filters, every_state)) {
          *response.add_counts() = std::move(count);
        }
        *response.mutable_unanswered_questions() =
            CountUnanswered(tx, *tenant, filters, now);
        for (v1::IdeaStatusCount& count :
             CountIdeaStatusRows(tx, *tenant, filters)) {
          *response.add_idea_status_counts() = std::move(count);
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  *response.mutable_compute_time() = TimestampOf(now);
  return response;
}

absl::StatusOr<v1::AccountabilityReport> GetAccountabilityReport(
    ContentContext& context, const auth::Principal* /*caller*/,
    const v1::GetAccountabilityReportRequest& request) {
  absl::StatusOr<std::vector<std::string>> name = api::ParseName(
      "name", request.name(), {"tenants"}, "accountabilityReport");
  if (!name.ok()) return name.status();
  const std::string tenant = (*name)[0];
  const absl::Time now = context.now();
  absl::StatusOr<Window> window = WindowOf(request.window(), now);
  if (!window.ok()) return window.status();
  std::optional<absl::Duration> target;
  if (request.has_response_target()) {
    const google::protobuf::Duration& given = request.response_target();
    if (given.seconds() < 0 || given.nanos() < 0 ||
        given.seconds() > TimeUtil::kDurationMaxSeconds) {
      return Invalid("response_target", "must be 1-365 days");
    }
    target = absl::Seconds(given.seconds()) + absl::Nanoseconds(given.nanos());
    if (*target < kMinResponseTarget || *target > kMaxResponseTarget) {
      return Invalid("response_target", "must be 1-365 days");
    }
  }
  PostFilters filters;
  if (!request.space().empty()) {
    if (absl::Status s =
            ParseSpaceFilter("space", request.space(), tenant, filters);
        !s.ok()) {
      return s;
    }
  }

  v1::AccountabilityReport report;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        report.Clear();
        if (absl::Status s = RequireKnown(tx, tenant, filters); !s.ok()) {
          return s;
        }
        absl::Duration n = kFallbackResponseTarget;
        if (target.has_value()) {
          n = *target;
        } else {
          const v1::ContentSettings settings =
              LoadContentSettings(tx, tenant).settings;
          if (settings.has_official_response_target() &&
              TimeUtil::DurationToMicroseconds(
                  settings.official_response_target()) > 0) {
            n = absl::Microseconds(TimeUtil::DurationToMicroseconds(
                settings.official_response_target()));
          }
        }
        const AccountabilityFigures figures = ComputeAccountability(
            tx, tenant, filters.space, window->start, window->end, n);
        *report.mutable_response_target() = DurationOf(n);
        report.set_ideas_published(figures.ideas_published);
        report.set_ideas_responded_in_target(figures.ideas_responded_in_target);
        report.set_idea_response_rate(
            Share(figures.ideas_responded_in_target, figures.ideas_published));
        if (figures.median_time_to_official_response.has_value()) {
          *report.mutable_median_time_to_official_response() =
              DurationOf(*figures.median_time_to_official_response);
        }
        report.set_questions_published(figures.questions_published);
        if (figures.median_time_to_first_answer.has_value()) {
          *report.mutable_median_time_to_first_answer() =
              DurationOf(*figures.median_time_to_first_answer);
        }
        if (figures.median_time_to_accepted_answer.has_value()) {
          *report.mutable_median_time_to_accepted_answer() =
              DurationOf(*figures.median_time_to_accepted_answer);
        }
        report.set_accepted_answer_rate(
            Share(figures.questions_accepted, figures.questions_published));
        *report.mutable_unanswered_questions() =
            CountUnanswered(tx, tenant, filters, now);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  report.set_name(absl::StrCat("tenants/", tenant, "/accountabilityReport"));
  *report.mutable_window()->mutable_start_time() = TimestampOf(window->start);
  *report.mutable_window()->mutable_end_time() = TimestampOf(window->end);
  *report.mutable_compute_time() = TimestampOf(now);
  return report;
}

}  // namespace agora::content
