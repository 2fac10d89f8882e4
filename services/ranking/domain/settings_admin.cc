#include "services/ranking/domain/settings_admin.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/domain/board_scores.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/settings_store.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::string_view kVoteSettingsFields[] = {
    "kinds",
    "max_votes_per_minute",
    "max_votes_per_day",
    "min_account_age",
    "verified_customers_skip_age_hold",
    "serial_voting_threshold",
    "serial_voting_window"};

constexpr absl::string_view kParameterFields[] = {
    "hot_gravity_seconds",      "hot_epoch",
    "best_confidence",          "star_scoring",
    "star_prior_mean",          "star_prior_weight",
    "controversial_min_votes",  "trending_recent_window",
    "trending_baseline_window", "trending_vote_weight",
    "trending_comment_weight",  "trending_visitor_weight",
    "trending_min_events",      "contribution_weights"};

// One settings document as stored.
struct Document {
  std::string body;
  int64_t version = 0;  // 0: never written (defaults)
  absl::Time update_time = absl::UnixEpoch();
};

Document ReadDocument(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& kind, bool for_update) {
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT body, version,"
                  " (extract(epoch FROM update_time) * 1000000)::bigint"
                  " FROM settings WHERE tenant = $1 AND kind = $2") +
          (for_update ? " FOR UPDATE" : ""),
      tenant, kind);
  Document document;
  if (rows.empty()) return document;
  document.body = pqxx::binarystring(rows[0][0]).str();
  document.version = rows[0][1].as<int64_t>();
  document.update_time = absl::FromUnixMicros(rows[0][2].as<int64_t>());
  return document;
}

int64_t WriteDocument(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& kind, const std::string& body) {
  const pqxx::binarystring bytes(body);
  const pqxx::row row = tx.exec_params1(
      "INSERT INTO settings (tenant, kind, body) VALUES ($1, $2, $3)"
      " ON CONFLICT (tenant, kind) DO UPDATE SET body = excluded.body,"
      " version = settings.version + 1, update_time = now()"
      " RETURNING version",
      tenant, kind, bytes);
  return row[0].as<int64_t>();
}

absl::Status RequireTenantAdmin(const auth::Principal& caller,
                                const std::string& tenant) {
  absl::Status in_tenant = auth::RequireTenant(caller, tenant);
  if (!in_tenant.ok()) return status::WithReason(in_tenant, "TENANT_MISMATCH");
  absl::Status role = auth::RequireRole(
      caller, {auth::kRoleTenantAdmin, auth::kRolePlatformAdmin});
  return role.ok() ? role : status::WithReason(role, "ROLE_REQUIRED");
}

absl::Status RequireReader(const auth::Principal* caller,
                           const std::string& tenant) {
  if (caller == nullptr) return absl::OkStatus();
  absl::Status status = auth::RequireTenant(*caller, tenant);
  return status.ok() ? status : status::WithReason(status, "TENANT_MISMATCH");
}

bool DurationWithin(const google::protobuf::Duration& duration,
                    absl::Duration low, absl::Duration high) {
  const absl::Duration value =
      absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
  return value >= low && value <= high;
}

// The document with its defaults, as the clients see it.
v1::VoteSettings VoteSettingsOf(const std::string& tenant,
                                const Document& document) {
  v1::VoteSettings settings = DefaultVoteSettings();
  if (document.version > 0) settings.ParseFromString(document.body);
  settings.set_name(absl::StrCat("tenants/", tenant, "/voteSettings"));
  settings.set_etag(api::EtagOf(document.version));
  *settings.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(document.update_time));
  return settings;
}

v1::RankingParameters ParametersOf(const std::string& tenant,
                                   const Document& document) {
  v1::RankingParameters parameters;
  if (document.version > 0) parameters.ParseFromString(document.body);
  // Unset fields are shown with the defaults they stand for.
  const formulas::FormulaParameters effective = ToFormulaParameters(parameters);
  parameters.set_hot_gravity_seconds(effective.hot_gravity_seconds);
  *parameters.mutable_hot_epoch() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(effective.hot_epoch));
  parameters.set_best_confidence(effective.best_confidence);
  parameters.set_star_scoring(
      static_cast<v1::StarScoring>(effective.star_scoring));
  parameters.set_star_prior_mean(effective.star_prior_mean);
  parameters.set_star_prior_weight(effective.star_prior_weight);
  parameters.set_controversial_min_votes(effective.controversial_min_votes);
  parameters.mutable_trending_recent_window()->set_seconds(
      absl::ToInt64Seconds(effective.trending_recent_window));
  parameters.mutable_trending_baseline_window()->set_seconds(
      absl::ToInt64Seconds(effective.trending_baseline_window));
  parameters.set_trending_vote_weight(effective.trending_vote_weight);
  parameters.set_trending_comment_weight(effective.trending_comment_weight);
  parameters.set_trending_visitor_weight(effective.trending_visitor_weight);
  parameters.set_trending_min_events(effective.trending_min_events);
  parameters.clear_contribution_weights();
  for (const formulas::ContributionWeight& weight :
       effective.contribution_weights) {
    v1::ContributionWeight* out = parameters.add_contribution_weights();
    out->set_contribution(static_cast<v1::Contribution>(weight.contribution));
    out->set_weight(weight.weight);
  }
  parameters.set_name(absl::StrCat("tenants/", tenant, "/rankingParameters"));
  parameters.set_etag(api::EtagOf(document.version));
  *parameters.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(document.update_time));
  return parameters;
}

// Copies the masked fields of `from` onto `to`.
template <typename Message>
void Merge(const std::set<std::string>& paths, const Message& from,
           Message& to) {
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(from, mask, options,
                                                        &to);
}

absl::StatusOr<std::string> TenantOfSingleton(absl::string_view field,
                                              absl::string_view name,
                                              absl::string_view singleton) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName(field, name, {"tenants"}, singleton);
  if (!parts.ok()) return parts.status();
  return (*parts)[0];
}

}  // namespace

absl::Status ValidateVoteSettings(const v1::VoteSettings& settings) {
  std::set<int> kinds;
  for (int i = 0; i < settings.kinds_size(); ++i) {
    const v1::KindVoteSettings& kind = settings.kinds(i);
    if (kind.kind() == common::v1::CONTENT_KIND_UNSPECIFIED ||
        !common::v1::ContentKind_IsValid(kind.kind())) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "].kind: required, a known kind"));
    }
    if (!kinds.insert(kind.kind()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "].kind: listed twice"));
    }
    if (kind.mode() == common::v1::EVALUATION_MODE_UNSPECIFIED ||
        !common::v1::EvaluationMode_IsValid(kind.mode())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kinds[", i, "].mode: required, one of NONE, LIKE, UP_DOWN, STARS"));
    }
  }
  if (settings.max_votes_per_minute() < 1 ||
      settings.max_votes_per_minute() > 600) {
    return absl::InvalidArgumentError(
        "max_votes_per_minute: must be between 1 and 600");
  }
  if (settings.max_votes_per_day() < 1 ||
      settings.max_votes_per_day() > 100000) {
    return absl::InvalidArgumentError(
        "max_votes_per_day: must be between 1 and 100000");
  }
  if (!DurationWithin(settings.min_account_age(), absl::ZeroDuration(),
                      absl::Hours(24 * 90))) {
    return absl::InvalidArgumentError(
        "min_account_age: must be between 0 and 90 days");
  }
  if (settings.serial_voting_threshold() < 3 ||
      settings.serial_voting_threshold() > 1000) {
    return absl::InvalidArgumentError(
        "serial_voting_threshold: must be between 3 and 1000");
  }
  if (!DurationWithin(settings.serial_voting_window(), absl::Minutes(1),
                      absl::Hours(24 * 7))) {
    return absl::InvalidArgumentError(
        "serial_voting_window: must be between 1 minute and 7 days");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::VoteSettings> GetVoteSettings(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetVoteSettingsRequest& request) {
  absl::StatusOr<std::string> tenant =
      TenantOfSingleton("name", request.name(), "voteSettings");
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireReader(caller, *tenant); !allowed.ok()) {
    return allowed;
  }
  Document document;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        document = ReadDocument(tx, *tenant, "vote_settings", false);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return VoteSettingsOf(*tenant, document);
}

absl::StatusOr<v1::VoteSettings> UpdateVoteSettings(
    RankingContext& context, const auth::Principal& caller,
    const v1::UpdateVoteSettingsRequest& request) {
  absl::StatusOr<std::string> tenant = TenantOfSingleton(
      "vote_settings.name", request.vote_settings().name(), "voteSettings");
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireTenantAdmin(caller, *tenant);
      !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<std::set<std::string>> paths = api::MaskPaths(
      request.update_mask(), kVoteSettingsFields, "VoteSettings");
  if (!paths.ok()) return paths.status();
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  v1::VoteSettings updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        const Document current =
            ReadDocument(tx, *tenant, "vote_settings", true);
        const std::string& etag = request.vote_settings().etag();
        if (!etag.empty() && etag != api::EtagOf(current.version)) {
          return api::EtagMismatch("vote_settings.etag", "the vote settings");
        }
        v1::VoteSettings merged = VoteSettingsOf(*tenant, current);
        Merge(*paths, request.vote_settings(), merged);
        if (absl::Status valid = ValidateVoteSettings(merged); !valid.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("vote_settings.", valid.message()));
        }
        merged.clear_name();
        merged.clear_etag();
        merged.clear_update_time();
        WriteDocument(tx, *tenant, "vote_settings", merged.SerializeAsString());
        updated = VoteSettingsOf(
            *tenant, ReadDocument(tx, *tenant, "vote_settings", false));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  context.settings.Invalidate(*tenant);
  // Modes decide which votes count: recount every tally and board.
  if (paths->contains("kinds")) context.request_rebuild(*tenant);
  return updated;
}

absl::StatusOr<v1::RankingParameters> GetRankingParameters(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetRankingParametersRequest& request) {
  absl::StatusOr<std::string> tenant =
      TenantOfSingleton("name", request.name(), "rankingParameters");
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireReader(caller, *tenant); !allowed.ok()) {
    return allowed;
  }
  Document document;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        document = ReadDocument(tx, *tenant, "ranking_parameters", false);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return ParametersOf(*tenant, document);
}

absl::StatusOr<v1::RankingParameters> UpdateRankingParameters(
    RankingContext& context, const auth::Principal& caller,
    const v1::UpdateRankingParametersRequest& request) {
  absl::StatusOr<std::string> tenant = TenantOfSingleton(
      "ranking_parameters.name", request.ranking_parameters().name(),
      "rankingParameters");
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireTenantAdmin(caller, *tenant);
      !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<std::set<std::string>> paths = api::MaskPaths(
      request.update_mask(), kParameterFields, "RankingParameters");
  if (!paths.ok()) return paths.status();
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  v1::RankingParameters updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        const Document current =
            ReadDocument(tx, *tenant, "ranking_parameters", true);
        const std::string& etag = request.ranking_parameters().etag();
        if (!etag.empty() && etag != api::EtagOf(current.version)) {
          return api::EtagMismatch("ranking_parameters.etag",
                                   "the ranking parameters");
        }
        v1::RankingParameters merged = ParametersOf(*tenant, current);
        Merge(*paths, request.ranking_parameters(), merged);
        for (const v1::ContributionWeight& weight :
             merged.contribution_weights()) {
          if (!v1::Contribution_IsValid(weight.contribution()) ||
              weight.contribution() == v1::CONTRIBUTION_UNSPECIFIED) {
            return absl::InvalidArgumentError(
                "ranking_parameters.contribution_weights: unknown "
                "contribution");
          }
        }
        if (!v1::StarScoring_IsValid(merged.star_scoring())) {
          return absl::InvalidArgumentError(
              "ranking_parameters.star_scoring: unknown value");
        }
        if (absl::Status valid = formulas::ValidateFormulaParameters(
                ToFormulaParameters(merged));
            !valid.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("ranking_parameters.", valid.message()));
        }
        merged.clear_name();
        merged.clear_etag();
        merged.clear_update_time();
        WriteDocument(tx, *tenant, "ranking_parameters",
                      merged.SerializeAsString());
        updated = ParametersOf(
            *tenant, ReadDocument(tx, *tenant, "ranking_parameters", false));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  context.settings.Invalidate(*tenant);
  // Every board's scores depend on the parameters: rescore them all.
  context.request_rebuild(*tenant);
  return updated;
}

}  // namespace agora::ranking
