// agora-content: spaces, posts of every kind, follow-up of ideas
// (agora.content.v1).
//   agora-content [--listen=0.0.0.0:50052] --pg_url=... --redis_address=...
//                 --moderation_address=... --ranking_address=...
// Every flag may also be set as AGORA_<FLAG>; the PostgreSQL password comes
// from libpq's PGPASSFILE, the service account's secret from a file or the
// environment (--service_account_secret=file:/path or env:NAME). Stateless:
// run as many replicas as needed.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks_file.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/flags.h"
#include "libs/config/secret.h"
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
#include "libs/service_tokens/service_token_source.h"
#include "services/content/domain/event_handlers.h"
#include "services/content/domain/notification_fanout.h"
#include "services/content/domain/notifications.h"
#include "services/content/domain/post_writes.h"
#include "services/content/handlers/content_handler.h"
#include "services/content/repository/migrations.h"

ABSL_FLAG(std::string, pg_url, "postgresql://agora@127.0.0.1:5432/agora",
          "PostgreSQL URL (password from PGPASSFILE)");
ABSL_FLAG(int, pg_pool_size, 16, "Most PostgreSQL connections");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis host:port");
ABSL_FLAG(int, redis_pool_size, 8, "Most Redis connections");
ABSL_FLAG(std::string, redis_key_prefix, "agora", "Prefix of every Redis key");
ABSL_FLAG(std::string, jwks_file, "",
          "JWKS of identity's signing keys, as a file (re-read when an "
          "unknown key id arrives)");
ABSL_FLAG(std::string, token_issuer, "agora-identity",
          "Required iss of access tokens");
ABSL_FLAG(std::string, token_audience, "agora",
          "Required aud of access tokens");
ABSL_FLAG(std::string, moderation_address, "127.0.0.1:50054",
          "moderation service (Screen); empty: every post is held");
ABSL_FLAG(absl::Duration, screening_deadline, absl::Milliseconds(200),
          "How long a post waits for screening before it is held");
ABSL_FLAG(std::string, ranking_address, "127.0.0.1:50053",
          "ranking service (ranked orders of ListPosts); empty: none");
ABSL_FLAG(std::string, identity_address, "127.0.0.1:50051",
          "identity service (service-account tokens)");
ABSL_FLAG(std::string, service_account, "serviceAccounts/content",
          "Content's platform-wide service account at identity");
ABSL_FLAG(std::string, service_account_secret, "",
          "Its secret: file:/path or env:NAME");
ABSL_FLAG(std::string, dev_signing_key, "",
          "DEVELOPMENT ONLY: sign content's service tokens with this PEM "
          "key instead of asking identity (its JWKS must be trusted)");
ABSL_FLAG(absl::Duration, rescreen_interval, absl::Seconds(30),
          "How often posts held unscreened are screened again");

namespace {

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address) {
  grpc::ChannelArguments arguments;
  // DNS names of several replicas are balanced call by call.
  arguments.SetLoadBalancingPolicyName("round_robin");
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   arguments);
}

// Where content's tokens for moderation come from.
absl::StatusOr<agora::service_tokens::ServiceTokenSource> TokenSource() {
  const std::vector<std::string> scopes = {"moderation.screen"};
  const std::string dev_key = absl::GetFlag(FLAGS_dev_signing_key);
  if (!dev_key.empty()) {
    absl::StatusOr<std::string> pem =
        agora::config::ReadSecret(absl::StrCat("file:", dev_key));
    if (!pem.ok()) return pem.status();
    absl::StatusOr<agora::auth::Ed25519PrivateKey> key =
        agora::auth::Ed25519PrivateKey::FromPem(*pem);
    if (!key.ok()) return key.status();
    agora::logging::Warn(
        "content: signing its own service tokens (--dev_signing_key); "
        "development only");
    return agora::service_tokens::SignedTokenSource(
        std::make_shared<agora::auth::JwtSigner>(*std::move(key)),
        {.subject = "content",
         .scopes = scopes,
         .issuer = absl::GetFlag(FLAGS_token_issuer),
         .audience = absl::GetFlag(FLAGS_token_audience)});
  }
  const std::string secret_source = absl::GetFlag(FLAGS_service_account_secret);
  if (secret_source.empty()) {
    return absl::FailedPreconditionError(
        "no --service_account_secret (nor --dev_signing_key)");
  }
  absl::StatusOr<std::string> secret = agora::config::ReadSecret(secret_source);
  if (!secret.ok()) return secret.status();
  return agora::service_tokens::IdentityTokenSource(
      ChannelTo(absl::GetFlag(FLAGS_identity_address)),
      absl::GetFlag(FLAGS_service_account), *secret, scopes, absl::Seconds(2));
}

}  // namespace

int main(int argc, char** argv) {
  agora::config::ParseFlags(argc, argv,
                            "agora-content: spaces, posts and their follow-up");
  agora::server::ServiceRunner runner(
      "content", agora::server::ServerOptionsFromFlags(50052));
  agora::logging::Init("content", agora::server::LogLevelFlag());

  const std::string url =
      agora::pg::WithSearchPath(absl::GetFlag(FLAGS_pg_url), "content");
  absl::StatusOr<std::vector<std::string>> migrated =
      agora::pg::ApplyMigrations(url, "content",
                                 {agora::content::ContentMigrations(),
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

  absl::StatusOr<agora::service_tokens::ServiceTokenSource> tokens =
      TokenSource();
  if (!tokens.ok()) {
    agora::logging::Warn(
        "content: no service token for screening; every post will be held",
        {{"error", tokens.status().ToString()}});
  }
  std::unique_ptr<agora::moderation::v1::ModerationService::StubInterface>
      moderation;
  const std::string moderation_address =
      absl::GetFlag(FLAGS_moderation_address);
  if (!moderation_address.empty() && tokens.ok()) {
    moderation = agora::moderation::v1::ModerationService::NewStub(
        ChannelTo(moderation_address));
  }
  agora::content::ScreeningClient screening(
      std::move(moderation),
      tokens.ok() ? *tokens : agora::service_tokens::ServiceTokenSource(),
      absl::GetFlag(FLAGS_screening_deadline));
  std::unique_ptr<agora::ranking::v1::RankingService::Stub> ranking;
  if (const std::string address = absl::GetFlag(FLAGS_ranking_address);
      !address.empty()) {
    ranking = agora::ranking::v1::RankingService::NewStub(ChannelTo(address));
  }
  agora::content::ContentContext context{.pool = pool, .screening = screening};
  context.ranking = ranking.get();

  std::unique_ptr<agora::auth::JwtVerifier> verifier =
      agora::auth::VerifierFromJwksFile(absl::GetFlag(FLAGS_jwks_file),
                                        absl::GetFlag(FLAGS_token_issuer),
                                        absl::GetFlag(FLAGS_token_audience));
  agora::content::ContentHandler handler(context, *verifier);

  agora::events::OutboxRelay relay(
      context.outbox, url, pool, redis,
      {.stream =
           agora::redis::KeyBuilder(prefix).SharedKey("events", {"content"})});
  relay.Start();
  // Each stream applied once per event, in the effect's transaction.
  const auto consume_as = [&](const std::string& producer,
                              const std::string& group, auto apply) {
    return agora::events::StartTypedConsumer(
        pool, redis, prefix, producer, group,
        [&context, apply](pqxx::transaction_base& tx,
                          const agora::events::v1::Event& event) {
          return apply(context, tx, event);
        });
  };
  auto identity_events =
      consume_as("identity", "content", &agora::content::ApplyIdentityEvent);
  auto moderation_events = consume_as("moderation", "content",
                                      &agora::content::ApplyModerationEvent);
  // Follows and notifications, from content's own events and ranking's
  // votes, off the request path (their own consumer group).
  auto own_events = consume_as("content", "content-notifications",
                               &agora::content::ApplyFollowAndNotifyEvent);
  auto vote_events = consume_as("ranking", "content-notifications",
                                &agora::content::ApplyFollowAndNotifyEvent);

  // Posts held because screening did not answer are screened again; old
  // notifications go.
  absl::Notification stopping;
  std::thread rescreener([&] {
    const absl::Duration interval = absl::GetFlag(FLAGS_rescreen_interval);
    while (!stopping.WaitForNotificationWithTimeout(interval)) {
      absl::StatusOr<int> screened =
          agora::content::RescreenHeldPosts(context, 50);
      if (!screened.ok()) {
        agora::logging::Warn("content: rescreening failed",
                             {{"error", screened.status().ToString()}});
      }
      // Notifications are kept 180 days.
      absl::StatusOr<int> pruned =
          agora::content::PruneNotifications(context, 1000);
      if (!pruned.ok()) {
        agora::logging::Warn("content: notification pruning failed",
                             {{"error", pruned.status().ToString()}});
      }
    }
  });

  runner.AddService(&handler);
  runner.AddHealthCheck("postgres", [&pool] { return pool.Ping(); });
  runner.AddHealthCheck("redis", [&redis] { return redis.Ping(); });
  runner.SetCallerDescriber([&verifier](absl::string_view header) {
    return agora::auth::DescribeCaller(header, *verifier);
  });
  const int code = runner.Run();
  stopping.Notify();
  rescreener.join();
  vote_events->Stop();
  own_events->Stop();
  moderation_events->Stop();
  identity_events->Stop();
  relay.Stop();
  return code;
}
