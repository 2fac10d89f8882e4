// agora-ranking: the voting and ranking service (agora.ranking.v1).
//   agora-ranking [--listen=0.0.0.0:50053] --pg_url=... --redis_address=...
//   agora-ranking rebuild --tenant=fr   (operator command: rebuilds the
//                                        tenant's boards, then exits)
// Every flag may also be set as AGORA_<FLAG>; the PostgreSQL password comes
// from libpq's PGPASSFILE. Stateless: run as many replicas as needed.
#include <cstring>
#include <iostream>

#include "absl/flags/flag.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/jwks_file.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/flags.h"
#include "libs/events/consumer.h"
#include "libs/events/relay.h"
#include "libs/events/schema.h"
#include "libs/events/typed_consumer.h"
#include "libs/idempotency/schema.h"
#include "libs/logging/log.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/migrations.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "libs/server/server_flags.h"
#include "libs/server/service_runner.h"
#include "services/ranking/domain/event_handlers.h"
#include "services/ranking/domain/rebuild.h"
#include "services/ranking/domain/repair_worker.h"
#include "services/ranking/domain/reputation.h"
#include "services/ranking/domain/vote_integrity.h"
#include "services/ranking/handlers/ranking_handler.h"
#include "services/ranking/repository/migrations.h"

ABSL_FLAG(std::string, pg_url, "postgresql://agora@127.0.0.1:5432/agora",
          "PostgreSQL URL (password from PGPASSFILE)");
ABSL_FLAG(int, pg_pool_size, 16, "Most PostgreSQL connections");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis host:port");
ABSL_FLAG(int, redis_pool_size, 16, "Most Redis connections");
ABSL_FLAG(std::string, redis_key_prefix, "agora", "Prefix of every Redis key");
ABSL_FLAG(std::string, jwks_file, "",
          "JWKS of identity's signing keys, as a file (re-read when an "
          "unknown key id arrives)");
ABSL_FLAG(std::string, token_issuer, "agora-identity",
          "Required iss of access tokens");
ABSL_FLAG(std::string, token_audience, "agora",
          "Required aud of access tokens");
ABSL_FLAG(int, vote_batch_max, 256, "Most votes written in one transaction");
ABSL_FLAG(absl::Duration, vote_batch_wait, absl::Milliseconds(1),
          "Longest a vote waits for others to share its transaction");
ABSL_FLAG(int, vote_writers, 2, "Vote batches written at once");
ABSL_FLAG(absl::Duration, settings_ttl, absl::Seconds(5),
          "How long a replica caches a tenant's settings");
ABSL_FLAG(std::string, tenant, "", "Tenant of the rebuild command");

namespace {

// Applies one stream's events with `apply` (identity, content, share).
using Apply = absl::Status (*)(agora::ranking::RankingContext&,
                               pqxx::transaction_base&,
                               const agora::events::v1::Event&);

std::unique_ptr<agora::events::EventConsumer> Consume(
    agora::pg::ConnectionPool& pool, agora::redis::RedisClient& redis,
    const std::string& prefix, const std::string& producer,
    agora::ranking::RankingContext& context, Apply apply,
    agora::ranking::RepairWorker& repairs,
    const std::string& group = "ranking") {
  return agora::events::StartTypedConsumer(
      pool, redis, prefix, producer, group,
      [&context, apply, &repairs](pqxx::transaction_base& tx,
                                  const agora::events::v1::Event& event) {
        absl::Status applied = apply(context, tx, event);
        repairs.Wake();
        return applied;
      });
}

// Each stream's own handler, then reputation, in the same transaction.
absl::Status ApplyIdentityAndReputation(agora::ranking::RankingContext& context,
                                        pqxx::transaction_base& tx,
                                        const agora::events::v1::Event& event) {
  if (absl::Status applied =
          agora::ranking::ApplyIdentityEvent(context, tx, event);
      !applied.ok()) {
    return applied;
  }
  return agora::ranking::ApplyReputationEvent(context, tx, event);
}

absl::Status ApplyContentAndReputation(agora::ranking::RankingContext& context,
                                       pqxx::transaction_base& tx,
                                       const agora::events::v1::Event& event) {
  if (absl::Status applied =
          agora::ranking::ApplyContentEvent(context, tx, event);
      !applied.ok()) {
    return applied;
  }
  return agora::ranking::ApplyReputationEvent(context, tx, event);
}

absl::Status ApplyShareAndReputation(agora::ranking::RankingContext& context,
                                     pqxx::transaction_base& tx,
                                     const agora::events::v1::Event& event) {
  if (absl::Status applied =
          agora::ranking::ApplyShareEvent(context, tx, event);
      !applied.ok()) {
    return applied;
  }
  return agora::ranking::ApplyReputationEvent(context, tx, event);
}

}  // namespace

int main(int argc, char** argv) {
  const bool rebuild_command = argc > 1 && std::strcmp(argv[1], "rebuild") == 0;
  agora::config::ParseFlags(argc, argv,
                            "agora-ranking: the voting and ranking service");
  agora::server::ServiceRunner runner(
      "ranking", agora::server::ServerOptionsFromFlags(50053));
  agora::logging::Init("ranking", agora::server::LogLevelFlag());

  const std::string url =
      agora::pg::WithSearchPath(absl::GetFlag(FLAGS_pg_url), "ranking");
  absl::StatusOr<std::vector<std::string>> migrated =
      agora::pg::ApplyMigrations(url, "ranking",
                                 {agora::ranking::RankingMigrations(),
                                  agora::events::OutboxMigrations(),
                                  agora::idempotency::IdempotencyMigrations()});
  if (!migrated.ok()) {
    agora::logging::Error("migrations failed",
                          {{"error", migrated.status().ToString()}});
    return 1;
  }
  agora::pg::ConnectionPool pool(
      {.conninfo = url, .max_size = absl::GetFlag(FLAGS_pg_pool_size)});
  absl::StatusOr<agora::redis::RedisOptions> redis_options =
      agora::redis::ParseAddress(absl::GetFlag(FLAGS_redis_address));
  if (!redis_options.ok()) {
    agora::logging::Error("bad --redis_address",
                          {{"error", redis_options.status().ToString()}});
    return 2;
  }
  redis_options->pool_size = absl::GetFlag(FLAGS_redis_pool_size);
  agora::redis::RedisClient redis(*redis_options);
  const std::string prefix = absl::GetFlag(FLAGS_redis_key_prefix);

  agora::ranking::SettingsStore settings(
      pool, absl::GetFlag(FLAGS_settings_ttl), [] { return absl::Now(); });
  agora::ranking::BoardWriter boards(
      redis, agora::redis::KeyBuilder(prefix),
      [&settings](const std::string& tenant) {
        return settings.FormulaParameters(tenant);
      });
  agora::ranking::RankingContext context{
      .pool = pool,
      .redis = redis,
      .keys = agora::redis::KeyBuilder(prefix),
      .settings = settings,
      .boards = boards};

  if (rebuild_command) {
    const std::string tenant = absl::GetFlag(FLAGS_tenant);
    if (tenant.empty()) {
      std::cerr << "usage: agora-ranking rebuild --tenant=<id>\n";
      return 2;
    }
    absl::StatusOr<agora::ranking::RebuildStats> stats =
        agora::ranking::RebuildTenant(context, tenant);
    if (!stats.ok()) {
      std::cerr << "rebuild failed: " << stats.status() << "\n";
      return 1;
    }
    std::cout << "rebuilt tenants/" << tenant << ": " << stats->votes_scanned
              << " votes, " << stats->tallies_written << " tallies, "
              << stats->boards_written << " posts on boards, "
              << stats->caught_up << " caught up after the swap\n";
    return 0;
  }

  agora::ranking::Rebuilder rebuilder(context);
  context.request_rebuild = [&rebuilder](const std::string& tenant) {
    rebuilder.StartAutomatic(tenant);
  };
  agora::ranking::RepairWorker repairs(context, absl::Milliseconds(200));
  repairs.Start();

  std::unique_ptr<agora::auth::JwtVerifier> verifier_holder =
      agora::auth::VerifierFromJwksFile(absl::GetFlag(FLAGS_jwks_file),
                                        absl::GetFlag(FLAGS_token_issuer),
                                        absl::GetFlag(FLAGS_token_audience));
  const agora::auth::JwtVerifier& verifier = *verifier_holder;

  agora::ranking::VoteBatcher votes(
      context, {.max_batch = absl::GetFlag(FLAGS_vote_batch_max),
                .max_wait = absl::GetFlag(FLAGS_vote_batch_wait),
                .writers = absl::GetFlag(FLAGS_vote_writers)});
  agora::ranking::RankingHandler handler(context, votes, rebuilder, verifier);

  agora::events::OutboxRelay relay(
      context.outbox, url, pool, redis,
      {.stream =
           agora::redis::KeyBuilder(prefix).SharedKey("events", {"ranking"})});
  relay.Start();
  auto identity_events = Consume(pool, redis, prefix, "identity", context,
                                 &ApplyIdentityAndReputation, repairs);
  auto content_events = Consume(pool, redis, prefix, "content", context,
                                &ApplyContentAndReputation, repairs);
  auto share_events = Consume(pool, redis, prefix, "share", context,
                              &ApplyShareAndReputation, repairs);
  // Ranking's own vote events, read back off the request path: serial
  // voting is detected and reversed here.
  auto integrity = Consume(pool, redis, prefix, "ranking", context,
                           &agora::ranking::DetectSerialVoting, repairs,
                           "ranking-integrity");
  // ... and reputation, from the same events.
  auto reputation = Consume(pool, redis, prefix, "ranking", context,
                            &agora::ranking::ApplyReputationEvent, repairs,
                            "ranking-reputation");

  runner.AddService(&handler);
  runner.AddHealthCheck("postgres", [&pool] { return pool.Ping(); });
  runner.AddHealthCheck("redis", [&redis] { return redis.Ping(); });
  runner.SetCallerDescriber([&verifier](absl::string_view header) {
    return agora::auth::DescribeCaller(header, verifier);
  });
  const int code = runner.Run();
  reputation->Stop();
  integrity->Stop();
  share_events->Stop();
  content_events->Stop();
  identity_events->Stop();
  relay.Stop();
  return code;
}
