#include "services/content/domain/contests.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/client_context.h>

#include <pqxx/pqxx>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/api/caller.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/access.h"
#include "services/content/domain/keyset.h"
#include "services/content/domain/localized_text.h"
#include "services/content/domain/publication.h"
#include "services/content/repository/catalog_store.h"
#include "services/content/repository/post_store.h"
#include "services/content/repository/space_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr absl::string_view kContestFields[] = {
    "title",        "description", "rules_uri", "evaluation_mode",
    "utm_campaign", "state",       "rounds"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

int64_t Micros(const google::protobuf::Timestamp& time) {
  return TimeUtil::TimestampToMicroseconds(time);
}

bool IsOrganizer(const auth::Principal* caller, const std::string& tenant) {
  return IsStaff(caller, tenant);  // staff and tenant admins
}

absl::Status ValidateRounds(const v1::Contest& contest) {
  const auto& rounds = contest.rounds();
  if (rounds.empty() || rounds.size() > 60) {
    return Invalid("contest.rounds", "1-60 rounds");
  }
  absl::flat_hash_set<std::string> ids;
  for (int i = 0; i < rounds.size(); ++i) {
    const v1::Round& round = rounds[i];
    const std::string field = absl::StrCat("contest.rounds[", i, "]");
    if (absl::Status s = api::ValidateId(absl::StrCat(field, ".round_id"),
                                         round.round_id(), 2, 63);
        !s.ok()) {
      return s;
    }
    if (!ids.insert(round.round_id()).second) {
      return Invalid(absl::StrCat(field, ".round_id"), "repeated");
    }
    if (absl::Status s = ValidateLocalizedText(absl::StrCat(field, ".title"),
                                               round.title(), 0, 200);
        !s.ok()) {
      return s;
    }
    if (!round.has_submission_start_time() ||
        !round.has_submission_end_time() || !round.has_voting_end_time()) {
      return Invalid(field,
                     "submission_start_time, submission_end_time and "
                     "voting_end_time are required");
    }
    if (Micros(round.submission_end_time()) <=
        Micros(round.submission_start_time())) {
      return Invalid(absl::StrCat(field, ".submission_end_time"),
                     "must be after submission_start_time");
    }
    if (Micros(round.voting_end_time()) < Micros(round.submission_end_time())) {
      return Invalid(absl::StrCat(field, ".voting_end_time"),
                     "must not be before submission_end_time");
    }
    if (i > 0 && Micros(round.submission_start_time()) <
                     Micros(rounds[i - 1].submission_end_time())) {
      return Invalid(absl::StrCat(field, ".submission_start_time"),
                     "rounds must be in time order without overlapping");
    }
    if (round.grand_final() && i != rounds.size() - 1) {
      return Invalid(absl::StrCat(field, ".grand_final"),
                     "only the last round may be the grand final");
    }
    if (round.finalist_count() < 0 || round.finalist_count() > 100) {
      return Invalid(absl::StrCat(field, ".finalist_count"), "must be 1-100");
    }
    if (round.prizes_size() > 20) {
      return Invalid(absl::StrCat(field, ".prizes"), "at most 20");
    }
    for (int p = 0; p < round.prizes_size(); ++p) {
      if (round.prizes(p).rank() != p + 1) {
        return Invalid(absl::StrCat(field, ".prizes[", p, "].rank"),
                       "prizes have ranks 1..n in order");
      }
      if (absl::Status s = ValidateLocalizedText(
              absl::StrCat(field, ".prizes[", p, "].description"),
              round.prizes(p).description(), 1, 500);
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateContest(const v1::Contest& contest,
                             const std::set<std::string>& paths) {
  if (paths.contains("title")) {
    if (absl::Status s =
            ValidateLocalizedText("contest.title", contest.title(), 1, 200);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("description")) {
    if (absl::Status s = ValidateLocalizedText("contest.description",
                                               contest.description(), 0, 10000);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("rules_uri")) {
    if (absl::Status s =
            api::ValidateHttpsUrl("contest.rules_uri", contest.rules_uri());
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("evaluation_mode") &&
      !common::EvaluationMode_IsValid(contest.evaluation_mode())) {
    return Invalid("contest.evaluation_mode", "unknown mode");
  }
  if (paths.contains("utm_campaign")) {
    const std::string& campaign = contest.utm_campaign();
    bool ok = campaign.size() <= 100;
    for (char c : campaign) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '-');
    }
    if (!ok) {
      return Invalid("contest.utm_campaign",
                     "0-100 characters of [A-Za-z0-9_-]");
    }
  }
  if (paths.contains("state") && !v1::Contest::State_IsValid(contest.state())) {
    return Invalid("contest.state", "unknown state");
  }
  if (paths.contains("rounds")) return ValidateRounds(contest);
  return absl::OkStatus();
}

std::string DataOf(v1::Contest contest) {
  contest.clear_name();
  contest.clear_state();
  contest.clear_create_time();
  contest.clear_update_time();
  contest.clear_etag();
  for (v1::Round& round : *contest.mutable_rounds()) round.clear_phase();
  return contest.SerializeAsString();
}

// Round names and phases filled in for readers.
v1::Contest Present(v1::Contest contest, absl::Time now) {
  for (v1::Round& round : *contest.mutable_rounds()) {
    round.set_name(absl::StrCat(contest.name(), "/rounds/", round.round_id()));
    round.set_phase(PhaseOf(round, now));
  }
  return contest;
}

struct ContestRow {
  v1::Contest contest;
  int64_t version = 0;
};

std::optional<ContestRow> LoadContest(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& id, bool lock) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT data, state, version,"
                   " (extract(epoch FROM create_time) * 1000000)::bigint,"
                   " (extract(epoch FROM update_time) * 1000000)::bigint"
                   " FROM contests WHERE tenant = $1 AND id = $2",
                   lock ? " FOR UPDATE" : ""),
      tenant, id);
  if (rows.empty()) return std::nullopt;
  ContestRow row;
  row.contest.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  row.contest.set_name(absl::StrCat("tenants/", tenant, "/contests/", id));
  row.contest.set_state(static_cast<v1::Contest::State>(rows[0][1].as<int>()));
  row.version = rows[0][2].as<int64_t>();
  row.contest.set_etag(api::EtagOf(row.version));
  *row.contest.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(rows[0][3].as<int64_t>());
  *row.contest.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(rows[0][4].as<int64_t>());
  return row;
}

void WriteContest(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& id, const v1::Contest& contest) {
  const pqxx::binarystring data(DataOf(contest));
  tx.exec_params(
      "UPDATE contests SET data = $3, state = $4, version = version + 1,"
      " update_time = now() WHERE tenant = $1 AND id = $2",
      tenant, id, data, static_cast<int>(contest.state()));
}

struct ContestName {
  std::string tenant;
  std::string contest;
};

absl::StatusOr<ContestName> ParseContestName(absl::string_view field,
                                             absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "contests"});
  if (!parts.ok()) return parts.status();
  return ContestName{(*parts)[0], (*parts)[1]};
}

// The round's most popular entries when voting ended, from ranking's BEST
// board of the round (the grand final: the earlier rounds' winners).
absl::StatusOr<std::vector<std::string>> FinalistsOf(ContentContext& context,
                                                     const std::string& tenant,
                                                     const v1::Contest& contest,
                                                     const v1::Round& round) {
  std::vector<std::string> finalists;
  if (round.grand_final()) {
    for (const v1::Round& earlier : contest.rounds()) {
      for (const v1::Winner& winner : earlier.winners()) {
        finalists.push_back(winner.entry());
      }
    }
    return finalists;
  }
  if (context.ranking == nullptr) {
    return absl::UnavailableError("finalists: ranking is not configured");
  }
  ranking::v1::ListLeaderboardRequest request;
  request.set_parent(absl::StrCat("tenants/", tenant));
  request.set_board(ranking::v1::BOARD_BEST);
  request.set_round(absl::StrCat(contest.name(), "/rounds/", round.round_id()));
  request.set_kind(common::CONTENT_KIND_CONTEST_ENTRY);
  request.set_page_size(round.finalist_count() > 0 ? round.finalist_count()
                                                   : 10);
  grpc::ClientContext call;
  call.set_deadline(absl::ToChronoTime(absl::Now() + context.ranking_deadline));
  ranking::v1::ListLeaderboardResponse response;
  const grpc::Status status =
      context.ranking->ListLeaderboard(&call, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "finalists: ranking did not answer (", status.error_message(), ")"));
  }
  for (const ranking::v1::LeaderboardEntry& entry : response.entries()) {
    if (entry.has_post()) finalists.push_back(entry.post().name());
  }
  return finalists;
}

// Freezes the finalists of rounds whose voting ended (once).
absl::Status FreezeFinalists(ContentContext& context, const std::string& tenant,
                             const std::string& id) {
  std::optional<ContestRow> row;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        row = LoadContest(tx, tenant, id, false);
        return absl::OkStatus();
      });
  if (!read.ok() || !row.has_value()) return read;
  const absl::Time now = context.now();
  absl::flat_hash_map<std::string, std::vector<std::string>> frozen;
  for (const v1::Round& round : row->contest.rounds()) {
    if (!round.finalists().empty() ||
        PhaseOf(round, now) != v1::Round::PHASE_JUDGING) {
      continue;
    }
    absl::StatusOr<std::vector<std::string>> finalists =
        FinalistsOf(context, tenant, row->contest, round);
    if (!finalists.ok()) return finalists.status();
    frozen[round.round_id()] = *std::move(finalists);
  }
  if (frozen.empty()) return absl::OkStatus();
  return pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
    std::optional<ContestRow> current = LoadContest(tx, tenant, id, true);
    if (!current.has_value()) return absl::OkStatus();
    bool changed = false;
    for (v1::Round& round : *current->contest.mutable_rounds()) {
      auto it = frozen.find(round.round_id());
      if (it == frozen.end() || !round.finalists().empty()) continue;
      for (const std::string& entry : it->second) round.add_finalists(entry);
      changed = true;
    }
    if (changed) WriteContest(tx, tenant, id, current->contest);
    return absl::OkStatus();
  });
}

}  // namespace

v1::Round::Phase PhaseOf(const v1::Round& round, absl::Time now) {
  const int64_t at = absl::ToUnixMicros(now);
  if (!round.winners().empty()) return v1::Round::PHASE_DECIDED;
  if (at < Micros(round.submission_start_time())) {
    return v1::Round::PHASE_UPCOMING;
  }
  if (at < Micros(round.submission_end_time())) {
    return round.grand_final() ? v1::Round::PHASE_VOTING
                               : v1::Round::PHASE_SUBMISSIONS_OPEN;
  }
  if (at < Micros(round.voting_end_time())) return v1::Round::PHASE_VOTING;
  return v1::Round::PHASE_JUDGING;
}

absl::StatusOr<v1::Contest> CreateContest(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateContestRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = api::RequireTenantRole(
          caller, *tenant, {auth::kRoleStaff, auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          api::ValidateId("contest_id", request.contest_id(), 2, 63);
      !s.ok()) {
    return s;
  }
  v1::Contest contest = request.contest();
  contest.set_name(
      absl::StrCat("tenants/", *tenant, "/contests/", request.contest_id()));
  if (contest.state() == v1::Contest::STATE_UNSPECIFIED) {
    contest.set_state(v1::Contest::STATE_DRAFT);
  }
  const std::set<std::string> all(std::begin(kContestFields),
                                  std::end(kContestFields));
  if (absl::Status s = ValidateContest(contest, all); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> space =
      api::ParseName("contest.space", contest.space(), {"tenants", "spaces"});
  if (!space.ok()) return space.status();
  if ((*space)[0] != *tenant) {
    return Invalid("contest.space", "must be a space of the tenant");
  }
  for (v1::Round& round : *contest.mutable_rounds()) {
    round.clear_finalists();
    round.clear_winners();
    if (round.finalist_count() == 0) round.set_finalist_count(10);
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{*tenant, "CreateContest",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  v1::Contest created;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, created)) {
          return absl::OkStatus();
        }
        std::optional<v1::Space> found = FindSpace(tx, *tenant, (*space)[1]);
        if (!found.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(contest.space(), " not found"));
        }
        if (found->kind() != v1::SPACE_KIND_CONTESTS) {
          return Invalid("contest.space", "must be a CONTESTS space");
        }
        const pqxx::binarystring data(DataOf(contest));
        if (tx.exec_params(
                  "INSERT INTO contests (tenant, id, space, state, data)"
                  " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
                  " RETURNING 1",
                  *tenant, request.contest_id(), (*space)[1],
                  static_cast<int>(contest.state()), data)
                .empty()) {
          return absl::AlreadyExistsError(
              absl::StrCat("contest_id: ", contest.name(), " already exists"));
        }
        created = Present(
            LoadContest(tx, *tenant, request.contest_id(), false)->contest,
            context.now());
        idempotency::SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Contest> GetContest(ContentContext& context,
                                       const auth::Principal* caller,
                                       const v1::GetContestRequest& request) {
  absl::StatusOr<ContestName> name = ParseContestName("name", request.name());
  if (!name.ok()) return name.status();
  // Finalists are frozen on the first read after voting ends; if ranking
  // does not answer then, the contest is shown without them and the next
  // read tries again.
  (void)FreezeFinalists(context, name->tenant, name->contest);
  std::optional<ContestRow> row;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        row = LoadContest(tx, name->tenant, name->contest, false);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!row.has_value() || (row->contest.state() == v1::Contest::STATE_DRAFT &&
                           !IsOrganizer(caller, name->tenant))) {
    return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  }
  return Present(row->contest, context.now());
}

absl::StatusOr<v1::ListContestsResponse> ListContests(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListContestsRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  absl::StatusOr<std::optional<TimeIdPosition>> before =
      DecodeTimeIdToken(request.page_token());
  if (!before.ok()) return before.status();
  std::string states;
  for (int state : request.states()) {
    if (state == v1::Contest::STATE_UNSPECIFIED ||
        !v1::Contest::State_IsValid(state)) {
      return Invalid("states", "unknown state");
    }
    absl::StrAppend(&states, states.empty() ? "" : ",", state);
  }
  const bool organizer = IsOrganizer(caller, *tenant);
  v1::ListContestsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        const pqxx::result rows = tx.exec_params(
            "SELECT id FROM contests WHERE tenant = $1"
            " AND ($2 OR state <> 1)"
            " AND ($3 = '' OR state = ANY(('{' || $3 || '}')::smallint[]))"
            " AND (NOT $4 OR (create_time, id) < (timestamptz 'epoch' +"
            " $5::bigint * interval '1 microsecond', $6))"
            " ORDER BY create_time DESC, id DESC LIMIT $7",
            *tenant, organizer, states, before->has_value(),
            before->has_value() ? (*before)->first : 0,
            before->has_value() ? (*before)->second : std::string(), *size + 1);
        response.Clear();
        for (size_t i = 0; i < rows.size() && i < size_t(*size); ++i) {
          std::optional<ContestRow> row =
              LoadContest(tx, *tenant, rows[i][0].as<std::string>(), false);
          if (row.has_value()) {
            *response.add_contests() = Present(row->contest, context.now());
          }
        }
        if (rows.size() > size_t(*size) && response.contests_size() > 0) {
          const v1::Contest& last =
              response.contests(response.contests_size() - 1);
          response.set_next_page_token(
              TimeIdToken(last.create_time(), last.name()));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Contest> UpdateContest(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateContestRequest& request) {
  absl::StatusOr<ContestName> name =
      ParseContestName("contest.name", request.contest().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(
          caller, name->tenant, {auth::kRoleStaff, auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kContestFields, "Contest");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = ValidateContest(request.contest(), *paths); !s.ok()) {
    return s;
  }
  if (paths->contains("state") &&
      request.contest().state() == v1::Contest::STATE_UNSPECIFIED) {
    return Invalid("contest.state", "required");
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{name->tenant, "UpdateContest",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  const absl::Time now = context.now();
  v1::Contest updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        std::optional<ContestRow> row =
            LoadContest(tx, name->tenant, name->contest, true);
        if (!row.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.contest().name(), " not found"));
        }
        if (!request.contest().etag().empty() &&
            request.contest().etag() != row->contest.etag()) {
          return api::EtagMismatch("contest.etag", "the contest");
        }
        v1::Contest& contest = row->contest;
        const v1::Contest& from = request.contest();
        if (paths->contains("title")) *contest.mutable_title() = from.title();
        if (paths->contains("description")) {
          *contest.mutable_description() = from.description();
        }
        if (paths->contains("rules_uri"))
          contest.set_rules_uri(from.rules_uri());
        if (paths->contains("evaluation_mode")) {
          contest.set_evaluation_mode(from.evaluation_mode());
        }
        if (paths->contains("utm_campaign")) {
          contest.set_utm_campaign(from.utm_campaign());
        }
        if (paths->contains("state")) contest.set_state(from.state());
        if (paths->contains("rounds")) {
          absl::flat_hash_map<std::string, const v1::Round*> old;
          for (const v1::Round& round : contest.rounds()) {
            old[round.round_id()] = &round;
          }
          google::protobuf::RepeatedPtrField<v1::Round> rounds = from.rounds();
          absl::flat_hash_set<std::string> kept;
          for (v1::Round& round : rounds) {
            round.clear_name();
            round.clear_phase();
            if (round.finalist_count() == 0) round.set_finalist_count(10);
            auto it = old.find(round.round_id());
            if (it == old.end()) {
              round.clear_finalists();
              round.clear_winners();
              continue;
            }
            kept.insert(round.round_id());
            const v1::Round& before = *it->second;
            const bool started = Micros(before.submission_start_time()) <=
                                 absl::ToUnixMicros(now);
            if (started && Micros(before.submission_start_time()) !=
                               Micros(round.submission_start_time())) {
              return absl::FailedPreconditionError(
                  absl::StrCat("contest.rounds: round ", round.round_id(),
                               " has started; its start time cannot change"));
            }
            *round.mutable_finalists() = before.finalists();
            *round.mutable_winners() = before.winners();
          }
          for (const auto& [id, round] : old) {
            if (!kept.contains(id) && Micros(round->submission_start_time()) <=
                                          absl::ToUnixMicros(now)) {
              return absl::FailedPreconditionError(
                  absl::StrCat("contest.rounds: round ", id,
                               " has started and cannot be removed"));
            }
          }
          *contest.mutable_rounds() = std::move(rounds);
        }
        WriteContest(tx, name->tenant, name->contest, contest);
        updated = Present(
            LoadContest(tx, name->tenant, name->contest, false)->contest, now);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<v1::Contest> SelectContestWinners(
    ContentContext& context, const auth::Principal& caller,
    const v1::SelectContestWinnersRequest& request) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName("name", request.name(), {"tenants", "contests", "rounds"});
  if (!parts.ok()) return parts.status();
  const std::string tenant = (*parts)[0];
  const std::string contest_id = (*parts)[1];
  const std::string round_id = (*parts)[2];
  if (absl::Status s = api::RequireTenantRole(
          caller, tenant, {auth::kRoleJury, auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (request.winners().empty()) return Invalid("winners", "required");
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = FreezeFinalists(context, tenant, contest_id); !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{tenant, "SelectContestWinners",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  const absl::Time now = context.now();
  v1::Contest decided;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, decided)) {
          return absl::OkStatus();
        }
        std::optional<ContestRow> row =
            LoadContest(tx, tenant, contest_id, true);
        if (!row.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!request.etag().empty() && request.etag() != row->contest.etag()) {
          return api::EtagMismatch("etag", "the contest");
        }
        v1::Round* round = nullptr;
        for (v1::Round& candidate : *row->contest.mutable_rounds()) {
          if (candidate.round_id() == round_id) round = &candidate;
        }
        if (round == nullptr) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!round->winners().empty()) {
          return absl::FailedPreconditionError(
              "name: winners already selected");
        }
        if (PhaseOf(*round, now) != v1::Round::PHASE_JUDGING) {
          return absl::FailedPreconditionError("name: voting has not ended");
        }
        const absl::flat_hash_set<std::string> finalists(
            round->finalists().begin(), round->finalists().end());
        absl::flat_hash_set<int> ranks;
        absl::flat_hash_set<std::string> entries;
        for (int i = 0; i < request.winners_size(); ++i) {
          const v1::WinnerSelection& winner = request.winners(i);
          const std::string field = absl::StrCat("winners[", i, "]");
          if (!finalists.contains(winner.entry())) {
            return Invalid(absl::StrCat(field, ".entry"), "not a finalist");
          }
          if (!entries.insert(winner.entry()).second) {
            return Invalid(absl::StrCat(field, ".entry"), "chosen twice");
          }
          if (winner.rank() < 1 || winner.rank() > round->prizes_size()) {
            return Invalid(absl::StrCat(field, ".rank"), "no prize for it");
          }
          if (!ranks.insert(winner.rank()).second) {
            return Invalid(absl::StrCat(field, ".rank"), "duplicate rank");
          }
        }
        common::Actor actor = api::ActorFor(caller);
        events::v1::Event event =
            NewContentEvent(context, tenant, actor, request.name());
        events::v1::ContestWinnersSelected& payload =
            *event.mutable_contest_winners_selected();
        payload.set_round(request.name());
        payload.set_grand_final(round->grand_final());
        for (const v1::WinnerSelection& selection : request.winners()) {
          const std::string entry_id =
              selection.entry().substr(selection.entry().rfind('/') + 1);
          std::optional<StoredPost> entry = FindPost(tx, tenant, entry_id);
          v1::Winner& winner = *round->add_winners();
          winner.set_entry(selection.entry());
          winner.set_rank(selection.rank());
          if (entry.has_value())
            *winner.mutable_author() = entry->post.author();
          *winner.mutable_select_time() =
              TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
          tx.exec_params(
              "UPDATE posts SET prize_rank = $3, version = version + 1"
              " WHERE tenant = $1 AND id = $2",
              tenant, entry_id, selection.rank());
          events::v1::ContestWinner& announced = *payload.add_winners();
          announced.set_entry(selection.entry());
          announced.set_author(winner.author().name());
          announced.set_rank(selection.rank());
        }
        bool all_decided = true;
        for (const v1::Round& r : row->contest.rounds()) {
          all_decided = all_decided && !r.winners().empty();
        }
        if (all_decided) row->contest.set_state(v1::Contest::STATE_CLOSED);
        WriteContest(tx, tenant, contest_id, row->contest);
        if (absl::Status s = AppendContentEvent(context, tx, event); !s.ok()) {
          return s;
        }
        decided =
            Present(LoadContest(tx, tenant, contest_id, false)->contest, now);
        idempotency::SaveResponse(tx, key, decided);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return decided;
}

}  // namespace agora::content
