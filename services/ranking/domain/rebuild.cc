#include "services/ranking/domain/rebuild.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/auth/roles.h"
#include "libs/events/event_record.h"
#include "libs/idempotency/idempotency.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"
#include "libs/pg/transaction.h"
#include "libs/redis/lua_script.h"
#include "libs/status/error_details.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/periodic_boards.h"
#include "services/ranking/domain/post_repair.h"
#include "services/ranking/repository/post_store.h"
#include "services/ranking/repository/tenant_snapshot.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kPipelineChunk = 2000;
// How long the rebuild lock of a tenant lives (a replica that dies keeps
// it no longer).
constexpr int64_t kLockMillis = 600000;

const redis::LuaScript& ReleaseLockScript() {
  static const redis::LuaScript* const script = new redis::LuaScript(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua");
  return *script;
}

// Extends the lock while it is still ours (a long rebuild keeps it).
const redis::LuaScript& RenewLockScript() {
  static const redis::LuaScript* const script = new redis::LuaScript(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
)lua");
  return *script;
}

absl::Status RunPipeline(RankingContext& context,
                         std::vector<redis::Command>& commands) {
  if (commands.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<redis::Reply>> replies =
      context.redis.Pipeline(commands);
  commands.clear();
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& reply : *replies) {
    if (reply.is_error()) {
      return absl::UnavailableError(
          absl::StrCat("ranking: rebuild write failed: ", reply.text));
    }
  }
  return absl::OkStatus();
}

// Deletes every key of a generation (SCAN + UNLINK, a page at a time).
absl::Status DeleteGeneration(RankingContext& context, const RankingKeys& names,
                              int64_t generation) {
  std::string cursor = "0";
  do {
    absl::StatusOr<redis::Reply> page = context.redis.Run(
        {"SCAN", cursor, "MATCH", names.GenerationPattern(generation), "COUNT",
         "1000"});
    if (!page.ok()) return page.status();
    if (page->elements.size() != 2) {
      return absl::InternalError("ranking: unexpected SCAN reply");
    }
    cursor = page->elements[0].text;
    redis::Command unlink = {"UNLINK"};
    for (const redis::Reply& key : page->elements[1].elements) {
      unlink.push_back(key.text);
    }
    if (unlink.size() > 1) {
      absl::StatusOr<redis::Reply> deleted = context.redis.Run(unlink);
      if (!deleted.ok()) return deleted.status();
    }
  } while (cursor != "0");
  return absl::OkStatus();
}

absl::StatusOr<RebuildStats> RebuildLocked(
    RankingContext& context, const std::string& tenant,
    const RankingKeys& names, const std::string& token,
    const std::function<void(const RebuildStats&, int)>& progress) {
  RebuildStats stats;
  auto report = [&](int percent) {
    (void)context.redis.Eval(RenewLockScript(), {names.RebuildLock()},
                             {token, absl::StrCat(kLockMillis)});
    if (progress) progress(stats, percent);
  };
  absl::StatusOr<redis::Reply> live =
      context.redis.Run({"GET", names.Generation()});
  if (!live.ok()) return live.status();
  const std::optional<int64_t> old_generation = live->AsInteger();
  absl::StatusOr<redis::Reply> next =
      context.redis.Run({"INCR", names.NextGeneration()});
  if (!next.ok()) return next.status();
  int64_t generation = next->integer;
  if (old_generation.has_value() && generation <= *old_generation) {
    generation = *old_generation + 1;
    absl::StatusOr<redis::Reply> set = context.redis.Run(
        {"SET", names.NextGeneration(), absl::StrCat(generation)});
    if (!set.ok()) return set.status();
  }
  // Keys of a half-built generation left by a crashed rebuild go first.
  if (absl::Status cleared = DeleteGeneration(context, names, generation);
      !cleared.ok()) {
    return cleared;
  }
  report(5);

  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(tenant);
  if (!settings.ok()) return settings.status();
  const absl::TimeZone zone = context.settings.TimeZone(tenant);
  absl::StatusOr<TenantState> state = ReadTenantState(
      context.pool, tenant, *settings, zone.name(), context.now());
  if (!state.ok()) return state.status();
  stats.votes_scanned = state->votes_scanned;
  report(30);

  std::vector<redis::Command> commands;
  int64_t done = 0;
  for (const ExpectedPost& expected : state->posts) {
    context.boards.AppendPostCommands(generation, expected.post, expected.view,
                                      expected.days, commands);
    ++stats.tallies_written;
    if (expected.post.kind != common::v1::CONTENT_KIND_COMMENT) {
      ++stats.boards_written;
    }
    ++done;
    if (static_cast<int>(commands.size()) >= kPipelineChunk) {
      if (absl::Status sent = RunPipeline(context, commands); !sent.ok()) {
        return sent;
      }
      report(30 + static_cast<int>(60 * done /
                                   std::max<size_t>(state->posts.size(), 1)));
    }
  }
  if (absl::Status sent = RunPipeline(context, commands); !sent.ok()) {
    return sent;
  }
  report(90);

  // The swap, then the posts that changed while we built.
  absl::StatusOr<redis::Reply> swapped =
      context.redis.Run({"SET", names.Generation(), absl::StrCat(generation)});
  if (!swapped.ok()) return swapped.status();
  context.boards.ForgetGeneration(tenant);
  absl::StatusOr<redis::Reply> touched =
      context.redis.Run({"SMEMBERS", names.Touched()});
  if (!touched.ok()) return touched.status();
  std::set<std::string> catch_up;
  for (const redis::Reply& post : touched->elements) catch_up.insert(post.text);
  absl::Status pending =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT post FROM pending_repairs WHERE tenant = $1",
                 tenant)) {
          catch_up.insert(row[0].as<std::string>());
        }
        return absl::OkStatus();
      });
  if (!pending.ok()) return pending;
  for (const std::string& post : catch_up) {
    absl::StatusOr<std::optional<TallyView>> repaired =
        RepairPost(context, tenant, post);
    if (!repaired.ok()) return repaired.status();
    ++stats.caught_up;
  }
  (void)context.redis.Run({"DEL", names.Touched()});
  // Trending and activity boards are recomputed whole, not from tallies.
  if (absl::StatusOr<PeriodicBoardStats> periodic =
          RefreshPeriodicBoards(context, tenant);
      !periodic.ok()) {
    logging::Warn(
        "ranking: trending and activity boards wait for the worker",
        {{"tenant", tenant}, {"error", periodic.status().ToString()}});
  }
  if (old_generation.has_value() && *old_generation != generation) {
    if (absl::Status deleted =
            DeleteGeneration(context, names, *old_generation);
        !deleted.ok()) {
      logging::Warn("ranking: old leaderboard keys left behind",
                    {{"tenant", tenant}, {"error", deleted.ToString()}});
    }
  }
  report(100);
  return stats;
}

common::v1::Actor ActorOf(const auth::Principal& caller) {
  common::v1::Actor actor;
  actor.set_type(caller.is_service_account
                     ? common::v1::ACTOR_TYPE_SERVICE_ACCOUNT
                     : common::v1::ACTOR_TYPE_MEMBER);
  actor.set_name(absl::StrCat(
      "tenants/", caller.tenant,
      caller.is_service_account ? "/serviceAccounts/" : "/members/",
      caller.subject));
  return actor;
}

constexpr char kRebuildColumns[] =
    "tenant, id::text, state, requester, progress_percent, votes_scanned,"
    " boards_written, tallies_written, error_message,"
    " (extract(epoch FROM start_time) * 1000000)::bigint,"
    " (extract(epoch FROM end_time) * 1000000)::bigint";

v1::Rebuild RebuildFromRow(const pqxx::row& row) {
  v1::Rebuild rebuild;
  rebuild.set_name(absl::StrCat("tenants/", row[0].as<std::string>(),
                                "/rebuilds/", row[1].as<std::string>()));
  rebuild.set_state(static_cast<v1::Rebuild::State>(row[2].as<int>()));
  rebuild.mutable_requester()->ParseFromString(
      pqxx::binarystring(row[3]).str());
  rebuild.set_progress_percent(row[4].as<int>());
  rebuild.set_votes_scanned(row[5].as<int64_t>());
  rebuild.set_boards_written(row[6].as<int64_t>());
  rebuild.set_tallies_written(row[7].as<int64_t>());
  rebuild.set_error_message(row[8].as<std::string>());
  *rebuild.mutable_start_time() =
      TimeUtil::MicrosecondsToTimestamp(row[9].as<int64_t>());
  if (!row[10].is_null()) {
    *rebuild.mutable_end_time() =
        TimeUtil::MicrosecondsToTimestamp(row[10].as<int64_t>());
  }
  return rebuild;
}

}  // namespace

absl::StatusOr<RebuildStats> RebuildTenant(
    RankingContext& context, const std::string& tenant,
    const std::function<void(const RebuildStats&, int)>& progress) {
  const RankingKeys names(context.keys, tenant);
  const std::string token = events::NewEventId();
  absl::StatusOr<redis::Reply> locked =
      context.redis.Run({"SET", names.RebuildLock(), token, "NX", "PX",
                         absl::StrCat(kLockMillis)});
  if (!locked.ok()) return locked.status();
  if (locked->is_nil()) {
    return status::WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "parent: a rebuild of tenants/", tenant, " is already running")),
        "OPERATION_IN_PROGRESS");
  }
  absl::StatusOr<RebuildStats> stats =
      RebuildLocked(context, tenant, names, token, progress);
  (void)context.redis.Eval(ReleaseLockScript(), {names.RebuildLock()}, {token});
  return stats;
}

absl::Status RequireRankingAdmin(const auth::Principal& caller,
                                 const std::string& tenant) {
  absl::Status in_tenant = auth::RequireTenant(caller, tenant);
  if (!in_tenant.ok()) return status::WithReason(in_tenant, "TENANT_MISMATCH");
  if (caller.is_service_account) {
    return caller.HasScope("ranking.admin")
               ? absl::OkStatus()
               : status::WithReason(absl::PermissionDeniedError(
                                        "the token lacks scope ranking.admin"),
                                    "SCOPE_REQUIRED");
  }
  absl::Status role = auth::RequireRole(
      caller, {auth::kRoleTenantAdmin, auth::kRolePlatformAdmin});
  return role.ok() ? role : status::WithReason(role, "ROLE_REQUIRED");
}

Rebuilder::Rebuilder(RankingContext& context) : context_(context) {}

Rebuilder::~Rebuilder() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

absl::StatusOr<v1::Rebuild> Rebuilder::Begin(
    const std::string& tenant, const common::v1::Actor& requester) {
  v1::Rebuild rebuild;
  bool started = false;
  const RankingKeys names(context_.keys, tenant);
  auto begin = [&](pqxx::transaction_base& tx) {
    started = false;
    const pqxx::result running = tx.exec_params(
        std::string("SELECT ") + kRebuildColumns +
            ", start_time < now() - $2::bigint * interval '1 millisecond'"
            " FROM rebuilds WHERE tenant = $1 AND state = 1",
        tenant, kLockMillis);
    if (!running.empty()) {
      rebuild = RebuildFromRow(running[0]);
      // A record running longer than the lock lives, with no lock held,
      // was left by a replica that stopped mid-way: it would otherwise
      // stand in for every later rebuild of the tenant, automatic ones
      // included.
      absl::StatusOr<redis::Reply> lock =
          context_.redis.Run({"EXISTS", names.RebuildLock()});
      const bool abandoned =
          running[0][11].as<bool>() && lock.ok() && lock->integer == 0;
      if (!abandoned) return absl::OkStatus();
      tx.exec_params(
          "UPDATE rebuilds SET state = 3, end_time = now(),"
          " error_message = 'abandoned: the replica running it stopped'"
          " WHERE tenant = $1 AND id = $2::uuid",
          tenant, rebuild.name().substr(rebuild.name().rfind('/') + 1));
    }
    const pqxx::binarystring actor(requester.SerializeAsString());
    const pqxx::result inserted = tx.exec_params(
        std::string("INSERT INTO rebuilds (tenant, id, state, requester)"
                    " VALUES ($1, gen_random_uuid(), 1, $2) RETURNING ") +
            kRebuildColumns,
        tenant, actor);
    rebuild = RebuildFromRow(inserted[0]);
    started = true;
    return absl::OkStatus();
  };
  absl::Status status = pg::RunTransaction(context_.pool, begin);
  if (absl::IsAlreadyExists(status)) {
    // Another replica recorded its rebuild between our read and insert:
    // read again, and answer with that one.
    status = pg::RunTransaction(context_.pool, begin);
  }
  if (!status.ok()) return status;
  if (!started) return rebuild;
  const std::string id = rebuild.name().substr(rebuild.name().rfind('/') + 1);
  absl::MutexLock lock(&mu_);
  running_.insert(tenant);
  threads_.emplace_back([this, tenant, id] {
    auto save = [&](const RebuildStats& stats, int percent, int state,
                    const std::string& error) {
      // $7 typed once: PostgreSQL refuses a parameter it deduces as
      // smallint (the column) in one place and integer in another.
      absl::Status saved =
          pg::RunTransaction(context_.pool, [&](pqxx::transaction_base& tx) {
            tx.exec_params(
                "UPDATE rebuilds SET progress_percent = $3,"
                " votes_scanned = $4, boards_written = $5,"
                " tallies_written = $6, state = $7::smallint,"
                " error_message = $8, end_time = CASE WHEN $7::smallint = 1"
                " THEN NULL ELSE now() END"
                " WHERE tenant = $1 AND id = $2::uuid",
                tenant, id, percent, stats.votes_scanned, stats.boards_written,
                stats.tallies_written, state, error.substr(0, 1000));
            return absl::OkStatus();
          });
      if (!saved.ok()) {
        logging::Warn("ranking: rebuild record not updated",
                      {{"tenant", tenant}, {"error", saved.ToString()}});
      }
    };
    absl::StatusOr<RebuildStats> stats;
    try {
      stats = RebuildTenant(context_, tenant,
                            [&](const RebuildStats& progress, int percent) {
                              save(progress, percent, 1, "");
                            });
    } catch (const std::exception& error) {
      stats = pg::StatusFromException(error);
    }
    if (stats.ok()) {
      save(*stats, 100, 2, "");
    } else {
      save(RebuildStats{}, 0, 3, std::string(stats.status().message()));
      logging::Warn("ranking: rebuild failed",
                    {{"tenant", tenant}, {"error", stats.status().ToString()}});
    }
    absl::MutexLock done(&mu_);
    running_.erase(tenant);
  });
  return rebuild;
}

absl::StatusOr<v1::Rebuild> Rebuilder::Start(
    const auth::Principal& caller,
    const v1::RebuildLeaderboardsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireRankingAdmin(caller, *tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  if (absl::Status up = context_.redis.Ping(); !up.ok()) {
    return absl::UnavailableError("ranking: Redis is down; rebuild later");
  }
  return Begin(*tenant, ActorOf(caller));
}

void Rebuilder::StartAutomatic(const std::string& tenant) {
  {
    absl::MutexLock lock(&mu_);
    if (running_.contains(tenant)) return;
  }
  common::v1::Actor system;
  system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  absl::StatusOr<v1::Rebuild> rebuild = Begin(tenant, system);
  if (!rebuild.ok()) {
    logging::Warn("ranking: automatic rebuild not started",
                  {{"tenant", tenant}, {"error", rebuild.status().ToString()}});
  }
}

absl::StatusOr<v1::Rebuild> Rebuilder::Get(
    const auth::Principal& caller, const v1::GetRebuildRequest& request) {
  absl::StatusOr<std::vector<std::string>> name =
      ParseName("name", request.name(), {"tenants", "rebuilds"});
  if (!name.ok()) return name.status();
  if (absl::Status allowed = RequireRankingAdmin(caller, (*name)[0]);
      !allowed.ok()) {
    return allowed;
  }
  std::optional<v1::Rebuild> rebuild;
  absl::Status status =
      pg::RunTransaction(context_.pool, [&](pqxx::transaction_base& tx) {
        const pqxx::result rows = tx.exec_params(
            std::string("SELECT ") + kRebuildColumns +
                " FROM rebuilds WHERE tenant = $1 AND id::text = $2",
            (*name)[0], (*name)[1]);
        if (!rows.empty()) rebuild = RebuildFromRow(rows[0]);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!rebuild.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("name: no rebuild ", request.name()));
  }
  return *rebuild;
}

absl::StatusOr<v1::ListRebuildsResponse> Rebuilder::List(
    const auth::Principal& caller, const v1::ListRebuildsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireRankingAdmin(caller, *tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size =
      request.page_size() == 0 ? 20 : std::min(request.page_size(), 100);
  int64_t offset = 0;
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &offset) || offset < 0)) {
    return absl::InvalidArgumentError(
        "page_token: not a token this method returned");
  }
  v1::ListRebuildsResponse response;
  absl::Status status =
      pg::RunTransaction(context_.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        const pqxx::result rows = tx.exec_params(
            std::string("SELECT ") + kRebuildColumns +
                " FROM rebuilds WHERE tenant = $1"
                " AND start_time > now() - interval '30 days'"
                " ORDER BY start_time DESC, id DESC LIMIT $2 OFFSET $3",
            *tenant, page_size + 1, offset);
        for (const pqxx::row& row : rows) {
          if (response.rebuilds_size() == page_size) {
            response.set_next_page_token(absl::StrCat(offset + page_size));
            break;
          }
          *response.add_rebuilds() = RebuildFromRow(row);
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace agora::ranking
