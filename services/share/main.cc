// agora-share: the social-share service (agora.share.v1).
//   agora-share [--listen=0.0.0.0:50055] --pg_url=... --redis_address=...
// Every flag may also be set as AGORA_<FLAG>; the PostgreSQL password comes
// from libpq's PGPASSFILE. Stateless: run as many replicas as needed (they
// share the visitor-hash key through PostgreSQL unless one is configured).
#include <openssl/rand.h>

#include "absl/flags/flag.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/jwks_file.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/flags.h"
#include "libs/config/secret.h"
#include "libs/events/consumer.h"
#include "libs/events/relay.h"
#include "libs/events/schema.h"
#include "libs/events/typed_consumer.h"
#include "libs/idempotency/schema.h"
#include "libs/logging/log.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/migrations.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "libs/server/server_flags.h"
#include "libs/server/service_runner.h"
#include "services/share/domain/click_flusher.h"
#include "services/share/domain/event_handlers.h"
#include "services/share/handlers/share_handler.h"
#include "services/share/repository/migrations.h"
#include "services/share/repository/secret_store.h"

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
ABSL_FLAG(absl::Duration, flush_interval, absl::Seconds(10),
          "How often clicks counted in Redis are flushed to PostgreSQL");
ABSL_FLAG(absl::Duration, settings_ttl, absl::Seconds(5),
          "How long a replica caches a tenant's share settings");
ABSL_FLAG(std::string, visitor_hash_secret, "",
          "Key of the visitor hash, as file:<path> or env:<NAME>; empty: a "
          "key made once and kept in PostgreSQL");

namespace {

absl::StatusOr<std::string> VisitorSecret(agora::pg::ConnectionPool& pool) {
  const std::string reference = absl::GetFlag(FLAGS_visitor_hash_secret);
  if (!reference.empty()) return agora::config::ReadSecret(reference);
  std::string candidate(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(candidate.data()),
                 static_cast<int>(candidate.size())) != 1) {
    return absl::InternalError("random generator failed");
  }
  std::string secret;
  absl::Status read =
      agora::pg::RunTransaction(pool, [&](pqxx::transaction_base& tx) {
        secret = agora::share::LoadOrCreateVisitorSecret(tx, candidate);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return secret;
}

using Apply = absl::Status (*)(agora::share::ShareContext&,
                               pqxx::transaction_base&,
                               const agora::events::v1::Event&);

std::unique_ptr<agora::events::EventConsumer> Consume(
    agora::pg::ConnectionPool& pool, agora::redis::RedisClient& redis,
    const std::string& prefix, const std::string& producer,
    agora::share::ShareContext& context, Apply apply) {
  return agora::events::StartTypedConsumer(
      pool, redis, prefix, producer, "share",
      [&context, apply](pqxx::transaction_base& tx,
                        const agora::events::v1::Event& event) {
        return apply(context, tx, event);
      });
}

}  // namespace

int main(int argc, char** argv) {
  agora::config::ParseFlags(argc, argv,
                            "agora-share: the social-share service");
  agora::server::ServiceRunner runner(
      "share", agora::server::ServerOptionsFromFlags(50055));
  agora::logging::Init("share", agora::server::LogLevelFlag());

  const std::string url =
      agora::pg::WithSearchPath(absl::GetFlag(FLAGS_pg_url), "share");
  absl::StatusOr<std::vector<std::string>> migrated =
      agora::pg::ApplyMigrations(
          url, "share",
          {agora::share::ShareMigrations(), agora::events::OutboxMigrations(),
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

  absl::StatusOr<std::string> secret = VisitorSecret(pool);
  if (!secret.ok()) {
    agora::logging::Error("no visitor-hash key",
                          {{"error", secret.status().ToString()}});
    return 1;
  }
  agora::share::SettingsCache settings(pool, absl::GetFlag(FLAGS_settings_ttl),
                                       [] { return absl::Now(); });
  agora::share::LinkCache links;
  agora::share::ShareContext context{.pool = pool,
                                     .redis = redis,
                                     .keys = agora::redis::KeyBuilder(prefix),
                                     .settings = settings,
                                     .links = links,
                                     .visitor_secret = *secret};

  std::unique_ptr<agora::auth::JwtVerifier> verifier_holder =
      agora::auth::VerifierFromJwksFile(absl::GetFlag(FLAGS_jwks_file),
                                        absl::GetFlag(FLAGS_token_issuer),
                                        absl::GetFlag(FLAGS_token_audience));
  const agora::auth::JwtVerifier& verifier = *verifier_holder;
  agora::share::ShareHandler handler(context, verifier);

  agora::events::OutboxRelay relay(
      context.outbox, url, pool, redis,
      {.stream =
           agora::redis::KeyBuilder(prefix).SharedKey("events", {"share"})});
  relay.Start();
  auto identity_events = Consume(pool, redis, prefix, "identity", context,
                                 &agora::share::ApplyIdentityEvent);
  auto content_events = Consume(pool, redis, prefix, "content", context,
                                &agora::share::ApplyContentEvent);
  agora::share::ClickFlusher flusher(context,
                                     absl::GetFlag(FLAGS_flush_interval));
  flusher.Start();

  runner.AddService(&handler);
  runner.AddHealthCheck("postgres", [&pool] { return pool.Ping(); });
  runner.AddHealthCheck("redis", [&redis] { return redis.Ping(); });
  runner.SetCallerDescriber([&verifier](absl::string_view header) {
    return agora::auth::DescribeCaller(header, verifier);
  });
  const int code = runner.Run();
  // The last clicks reach PostgreSQL before the process goes (and before
  // the relay stops, so their events are published too).
  flusher.Stop();
  content_events->Stop();
  identity_events->Stop();
  relay.Stop();
  return code;
}
