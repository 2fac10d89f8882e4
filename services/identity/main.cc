// agora-identity: the identity service (agora.identity.v1).
//   agora-identity [--listen=0.0.0.0:50051] --pg_url=... --redis_address=...
//       --key_encryption_key=file:/run/secrets/identity-kek
//   agora-identity keys rotate | seed | export | erase   (operator commands,
//       see commands/operator_commands.h)
// Every flag may also be set as AGORA_<FLAG>; the PostgreSQL password comes
// from libpq's PGPASSFILE.
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/flags.h"
#include "libs/config/secret.h"
#include "libs/events/consumer.h"
#include "libs/events/relay.h"
#include "libs/events/schema.h"
#include "libs/events/typed_event.h"
#include "libs/idempotency/schema.h"
#include "libs/logging/log.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/migrations.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "libs/server/server_flags.h"
#include "libs/server/service_runner.h"
#include "services/identity/commands/operator_commands.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/trust.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/oidc/provider_client.h"
#include "services/identity/repository/migrations.h"
#include "services/identity/repository/signing_keys.h"

ABSL_FLAG(std::string, pg_url, "postgresql://agora@127.0.0.1:5432/agora",
          "PostgreSQL URL (password from PGPASSFILE)");
ABSL_FLAG(int, pg_pool_size, 16, "Most PostgreSQL connections");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis host:port");
ABSL_FLAG(std::string, redis_key_prefix, "agora", "Prefix of every Redis key");
ABSL_FLAG(std::string, key_encryption_key, "",
          "Where the key-encryption key of the signing keys is: file:/path or "
          "env:NAME (at least 32 random bytes)");
ABSL_FLAG(std::string, token_issuer, "agora-identity",
          "iss of the access tokens identity signs");
ABSL_FLAG(std::string, token_audience, "agora", "aud of the access tokens");
ABSL_FLAG(int, argon2_memory_kib, 19 * 1024,
          "argon2id memory cost of new password hashes (KiB; OWASP: 19456)");
ABSL_FLAG(int, argon2_iterations, 2, "argon2id passes of new password hashes");
ABSL_FLAG(std::string, oidc_ca_file, "",
          "CA bundle trusted for identity providers (default: the system's)");
ABSL_FLAG(bool, log_mail_links, false,
          "Development: log the verification and reset links that a mail "
          "sender would e-mail (never in production: they are credentials)");
ABSL_FLAG(std::string, public_url, "http://127.0.0.1:8080",
          "Base URL of the web front end, for the logged links");
ABSL_FLAG(std::string, seed_file, "", "seed: the JSON file of tenants/members");
ABSL_FLAG(std::string, seed_password, "",
          "seed: where the members' password is (file: or env:)");
ABSL_FLAG(std::string, member, "", "export/erase: the member's resource name");
ABSL_FLAG(std::string, reason, "", "erase: why");

namespace {

using agora::events::EventRecord;

// A development stand-in for the mail sender: logs the links of
// email_verification_requested and password_reset_requested events.
absl::Status LogMailLink(const EventRecord& record,
                         const std::string& public_url) {
  if (record.type != "email_verification_requested" &&
      record.type != "password_reset_requested") {
    return absl::OkStatus();
  }
  absl::StatusOr<agora::events::v1::Event> event =
      agora::events::FromRecord(record);
  if (!event.ok()) return event.status();
  const bool verify = event->has_email_verification_requested();
  const std::string& token = verify
                                 ? event->email_verification_requested().token()
                                 : event->password_reset_requested().token();
  agora::logging::Info(
      verify ? "mail: verify your e-mail" : "mail: reset your password",
      {{"tenant", event->tenant()},
       {"link",
        public_url +
            (verify ? "/verify-email?token=" : "/reset-password?token=") +
            token}});
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<char*> positional = agora::config::ParseFlags(
      argc, argv, "agora-identity: the identity service");
  const std::vector<std::string> command(positional.begin() + 1,
                                         positional.end());
  // Before any thread starts: the runner blocks SIGTERM for all of them.
  std::unique_ptr<agora::server::ServiceRunner> runner;
  if (command.empty()) {
    runner = std::make_unique<agora::server::ServiceRunner>(
        "identity", agora::server::ServerOptionsFromFlags(50051));
  }
  agora::logging::Init("identity", agora::server::LogLevelFlag());

  const std::string url =
      agora::pg::WithSearchPath(absl::GetFlag(FLAGS_pg_url), "identity");
  absl::StatusOr<std::vector<std::string>> migrated =
      agora::pg::ApplyMigrations(url, "identity",
                                 {agora::identity::IdentityMigrations(),
                                  agora::events::OutboxMigrations(),
                                  agora::idempotency::IdempotencyMigrations()});
  if (!migrated.ok()) {
    agora::logging::Error("migrations failed",
                          {{"error", migrated.status().ToString()}});
    return 1;
  }
  absl::StatusOr<std::string> kek =
      agora::config::ReadSecret(absl::GetFlag(FLAGS_key_encryption_key));
  if (!kek.ok()) {
    agora::logging::Error("--key_encryption_key unavailable",
                          {{"error", kek.status().ToString()}});
    return 2;
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

  auto signing_keys = std::make_shared<agora::identity::SigningKeys>(
      pool, agora::identity::KeySealer(*kek),
      agora::identity::SigningKeysOptions{});
  if (absl::Status loaded = signing_keys->Load(); !loaded.ok()) {
    agora::logging::Error("signing keys unavailable",
                          {{"error", loaded.ToString()}});
    return 1;
  }
  const agora::identity::PasswordHasher passwords(
      {.memory_kib =
           static_cast<uint32_t>(absl::GetFlag(FLAGS_argon2_memory_kib)),
       .iterations =
           static_cast<uint32_t>(absl::GetFlag(FLAGS_argon2_iterations)),
       .lanes = 1});
  const agora::identity::oidc::ProviderClient oidc(
      {.ca_file = absl::GetFlag(FLAGS_oidc_ca_file)});
  const std::string prefix = absl::GetFlag(FLAGS_redis_key_prefix);
  agora::identity::IdentityContext context{
      .pool = pool,
      .redis = redis,
      .keys = agora::redis::KeyBuilder(prefix),
      .signing_keys = *signing_keys,
      .passwords = passwords,
      .oidc = &oidc};
  context.settings.issuer = absl::GetFlag(FLAGS_token_issuer);
  context.settings.audience = absl::GetFlag(FLAGS_token_audience);

  if (!command.empty()) {
    return agora::identity::RunOperatorCommand(
        context, command,
        {.seed_file = absl::GetFlag(FLAGS_seed_file),
         .seed_password = absl::GetFlag(FLAGS_seed_password),
         .member = absl::GetFlag(FLAGS_member),
         .reason = absl::GetFlag(FLAGS_reason)});
  }

  // Identity verifies its own tokens with the keys it signs with.
  agora::auth::JwtVerifierOptions verifier_options;
  verifier_options.issuer = context.settings.issuer;
  verifier_options.audience = context.settings.audience;
  agora::auth::JwtVerifier verifier(verifier_options, signing_keys);
  agora::identity::IdentityHandler handler(context, verifier);

  const agora::redis::KeyBuilder keys(prefix);
  agora::events::OutboxRelay relay(
      context.outbox, url, pool, redis,
      {.stream = keys.SharedKey("events", {"identity"})});
  relay.Start();
  // Ranking's figures promote trust levels; its titles show on profiles.
  agora::events::EventConsumer ranking_events(
      pool, redis,
      {.stream = keys.SharedKey("events", {"ranking"}),
       .group = "identity",
       .consumer = ""},
      [&context](pqxx::transaction_base& tx, const EventRecord& record) {
        if (record.type != "reputation_changed" &&
            record.type != "title_awarded") {
          return absl::OkStatus();
        }
        absl::StatusOr<agora::events::v1::Event> event =
            agora::events::FromRecord(record);
        if (!event.ok()) return event.status();
        return event->has_reputation_changed()
                   ? agora::identity::ApplyReputationChanged(context, tx,
                                                             *event)
                   : agora::identity::ApplyTitleAwarded(context, tx, *event);
      });
  ranking_events.Start();
  std::unique_ptr<agora::events::EventConsumer> mail_log;
  if (absl::GetFlag(FLAGS_log_mail_links)) {
    const std::string public_url = absl::GetFlag(FLAGS_public_url);
    mail_log = std::make_unique<agora::events::EventConsumer>(
        pool, redis,
        agora::events::ConsumerOptions{
            .stream = keys.SharedKey("events", {"identity"}),
            .group = "identity-mail-log",
            .consumer = ""},
        [public_url](pqxx::transaction_base&, const EventRecord& record) {
          return LogMailLink(record, public_url);
        });
    mail_log->Start();
  }

  runner->AddService(&handler);
  runner->AddHealthCheck("postgres", [&pool] { return pool.Ping(); });
  runner->AddHealthCheck("redis", [&redis] { return redis.Ping(); });
  runner->SetCallerDescriber([&verifier](absl::string_view header) {
    return agora::auth::DescribeCaller(header, verifier);
  });
  const int code = runner->Run();
  if (mail_log) mail_log->Stop();
  ranking_events.Stop();
  relay.Stop();
  return code;
}
