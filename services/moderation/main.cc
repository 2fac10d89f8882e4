// agora-moderation: the moderation service (agora.moderation.v1).
//   agora-moderation [--listen=0.0.0.0:50054] --pg_url=... --redis_address=...
//   agora-moderation audit verify|export --tenant=fr   (operator commands)
// Every flag may also be set as AGORA_<FLAG>; the PostgreSQL password comes
// from libpq's PGPASSFILE.
#include <cstring>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/jwks_file.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/flags.h"
#include "libs/events/consumer.h"
#include "libs/events/relay.h"
#include "libs/events/schema.h"
#include "libs/events/typed_event.h"
#include "libs/logging/log.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/migrations.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "libs/server/periodic_task.h"
#include "libs/server/server_flags.h"
#include "libs/server/service_runner.h"
#include "services/moderation/audit_command.h"
#include "services/moderation/domain/member_erasure.h"
#include "services/moderation/domain/rules_cache.h"
#include "services/moderation/domain/sla_report.h"
#include "services/moderation/handlers/moderation_handler.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/migrations.h"

ABSL_FLAG(std::string, pg_url, "postgresql://agora@127.0.0.1:5432/agora",
          "PostgreSQL URL (password from PGPASSFILE)");
ABSL_FLAG(int, pg_pool_size, 16, "Most PostgreSQL connections");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis host:port");
ABSL_FLAG(std::string, redis_key_prefix, "agora", "Prefix of every Redis key");
ABSL_FLAG(std::string, jwks_file, "",
          "JWKS of identity's signing keys, as a file (re-read when an unknown "
          "key id "
          "arrives); Kubernetes mounts identity's published keys here");
ABSL_FLAG(std::string, token_issuer, "agora-identity",
          "Required iss of access tokens");
ABSL_FLAG(std::string, token_audience, "agora",
          "Required aud of access tokens");
ABSL_FLAG(std::vector<std::string>, bank_domains, {},
          "The bank's own domains, for look-alike detection (comma-separated)");
ABSL_FLAG(
    std::vector<std::string>, staff_names, {},
    "Names only staff may use (comma-separated), e.g. Support,Conseiller");
ABSL_FLAG(std::vector<std::string>, phone_countries,
          std::vector<std::string>({"FR", "IT", "PL", "NL", "ES", "BE", "DE"}),
          "Countries whose phone numbers are masked (ISO codes)");

ABSL_FLAG(absl::Duration, audit_seal_interval, absl::Milliseconds(200),
          "How often pending audit records are sealed into their tenant's "
          "chain (reads of the chain seal first in any case)");

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "audit") == 0) {
    return agora::moderation::RunAuditCommand(argc - 1, argv + 1);
  }
  agora::config::ParseFlags(argc, argv,
                            "agora-moderation: the moderation service");
  // Before any thread starts: the runner blocks SIGTERM for all of them.
  agora::server::ServiceRunner runner(
      "moderation", agora::server::ServerOptionsFromFlags(50054));
  agora::logging::Init("moderation", agora::server::LogLevelFlag());

  const std::string url =
      agora::pg::WithSearchPath(absl::GetFlag(FLAGS_pg_url), "moderation");
  absl::StatusOr<std::vector<std::string>> migrated =
      agora::pg::ApplyMigrations(url, "moderation",
                                 {agora::moderation::ModerationMigrations(),
                                  agora::events::OutboxMigrations()});
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
  agora::redis::RedisClient redis(*redis_options);

  std::unique_ptr<agora::auth::JwtVerifier> verifier_holder =
      agora::auth::VerifierFromJwksFile(absl::GetFlag(FLAGS_jwks_file),
                                        absl::GetFlag(FLAGS_token_issuer),
                                        absl::GetFlag(FLAGS_token_audience));
  const agora::auth::JwtVerifier& verifier = *verifier_holder;

  agora::moderation::screening::TenantScreeningConfig base;
  base.staff_names = absl::GetFlag(FLAGS_staff_names);
  base.countries = absl::GetFlag(FLAGS_phone_countries);
  base.link_policy.bank_domains = absl::GetFlag(FLAGS_bank_domains);
  agora::moderation::RulesCache rules(base);
  const std::string prefix = absl::GetFlag(FLAGS_redis_key_prefix);
  agora::moderation::ModerationContext context{
      pool, redis, agora::redis::KeyBuilder(prefix),
      agora::events::Outbox("moderation"), rules};
  agora::moderation::ModerationHandler handler(context, verifier);

  agora::events::OutboxRelay relay(
      context.outbox, url, pool, redis,
      {.stream = agora::redis::KeyBuilder(prefix).SharedKey("events",
                                                            {"moderation"})});
  relay.Start();
  // Identity's events: member_erased anonymises what moderation holds.
  agora::events::EventConsumer identity_events(
      pool, redis,
      {.stream =
           agora::redis::KeyBuilder(prefix).SharedKey("events", {"identity"}),
       .group = "moderation"},
      [&context](pqxx::transaction_base& tx,
                 const agora::events::EventRecord& record) {
        if (record.type != "member_erased") return absl::OkStatus();
        absl::StatusOr<agora::events::v1::Event> event =
            agora::events::FromRecord(record);
        if (!event.ok()) return event.status();
        return agora::moderation::ApplyMemberErased(context, tx, *event);
      });
  identity_events.Start();

  // Actions record their audit entries without the chain's lock; this
  // seals them into each tenant's chain.
  agora::server::PeriodicTask audit_sealer(
      "moderation audit sealer", absl::GetFlag(FLAGS_audit_seal_interval),
      [&pool] { return agora::moderation::SealAllAuditChains(pool).status(); });
  audit_sealer.Start();

  // Queue size, oldest item and overdue items per tenant, for Prometheus.
  agora::moderation::QueueGauges gauges(context, runner.metrics());
  gauges.Start();

  runner.AddService(&handler);
  runner.AddHealthCheck("postgres", [&pool] { return pool.Ping(); });
  runner.AddHealthCheck("redis", [&redis] { return redis.Ping(); });
  runner.SetCallerDescriber([&verifier](absl::string_view header) {
    return agora::auth::DescribeCaller(header, verifier);
  });
  const int code = runner.Run();
  gauges.Stop();
  audit_sealer.Stop();
  identity_events.Stop();
  relay.Stop();
  return code;
}
