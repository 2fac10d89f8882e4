// What a sign-in costs the identity service, per core:
//   - access tokens signed (SigningKeys::Sign, the signer Login, Refresh and
//     the client-credentials exchange use; IssueMemberAccessToken with its
//     claims) and verified (auth::JwtVerifier, as identity and every other
//     service verify each call);
//   - argon2id hash and verify at the production parameters (19 MiB,
//     2 passes, 1 lane: main.cc's --argon2_memory_kib/--argon2_iterations
//     defaults), which bound logins per second;
//   - a whole Login through the domain function against PostgreSQL and Redis
//     (throttle check, member look-up, argon2id, session transaction).
// One thread is one core's figure; two threads show how the two cores of
// the project's machine scale (argon2id is memory-bound).
//
// Loading the signing keys needs PostgreSQL once: AGORA_BENCH_PG_URL (a
// superuser URL, bench/run sets it) gets a scratch database, dropped at the
// end. The login benchmark also needs AGORA_BENCH_REDIS_ADDR. Without them
// those benchmarks are skipped and the argon2id ones still run.
//
//   identity_sign_in_bench --benchmark_filter=Argon2
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/roles.h"
#include "libs/events/schema.h"
#include "libs/idempotency/schema.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/migrations.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/sessions.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/migrations.h"
#include "services/identity/repository/signing_keys.h"

namespace {

using agora::identity::Argon2Parameters;
using agora::identity::IdentityContext;
using agora::identity::PasswordHasher;
using agora::identity::SigningKeys;

// The production cost (main.cc's flag defaults).
constexpr Argon2Parameters kProduction{
    .memory_kib = 19 * 1024, .iterations = 2, .lanes = 1};
constexpr char kPassword[] = "correct horse battery staple";
constexpr int kLoginMembers = 4;  // one per thread: no row contention

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// A URL of the same server naming another database.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const size_t query = url.find('?');
  const size_t slash = url.rfind('/', query);
  return absl::StrCat(url.substr(0, slash + 1), database,
                      query == std::string::npos ? "" : url.substr(query));
}

// The identity schema in a scratch database, its signing key, a hasher at
// the production cost, and members to log in as.
class IdentityBench {
 public:
  // Creates the scratch database; FAILED_PRECONDITION without
  // AGORA_BENCH_PG_URL.
  static absl::StatusOr<std::unique_ptr<IdentityBench>> Create() {
    const std::string admin = Env("AGORA_BENCH_PG_URL");
    if (admin.empty()) {
      return absl::FailedPreconditionError("AGORA_BENCH_PG_URL is not set");
    }
    auto bench = std::make_unique<IdentityBench>(admin);
    if (absl::Status s = bench->Prepare(); !s.ok()) return s;
    return bench;
  }

  ~IdentityBench() {
    context_.reset();
    verifier_.reset();
    keys_.reset();
    pool_.reset();
    try {
      pqxx::connection connection(admin_url_);
      pqxx::nontransaction tx(connection);
      tx.exec(
          absl::StrCat("DROP DATABASE IF EXISTS ", database_, " WITH (FORCE)"));
    } catch (const std::exception&) {
      // A scratch database left behind on a throwaway server.
    }
  }

  SigningKeys& keys() { return *keys_; }
  const agora::auth::JwtVerifier& verifier() const { return *verifier_; }
  IdentityContext* context() { return context_.get(); }  // null: no Redis
  const agora::identity::MemberRecord& member() const { return member_; }
  std::string LoginEmail(int thread) const {
    return absl::StrCat("bench", thread % kLoginMembers, "@example.fr");
  }

  // Use Create: the object is usable only once Prepare succeeded.
  explicit IdentityBench(std::string admin_url)
      : admin_url_(std::move(admin_url)),
        database_(absl::StrCat("agora_bench_identity_", getpid())),
        hasher_(kProduction) {}

 private:
  absl::Status Prepare() {
    try {
      pqxx::connection connection(admin_url_);
      pqxx::nontransaction tx(connection);
      tx.exec(absl::StrCat("DROP DATABASE IF EXISTS ", database_));
      tx.exec(absl::StrCat("CREATE DATABASE ", database_));
    } catch (const std::exception& error) {
      return absl::UnavailableError(error.what());
    }
    const std::string url = agora::pg::WithSearchPath(
        WithDatabase(admin_url_, database_), "identity");
    absl::StatusOr<std::vector<std::string>> migrated =
        agora::pg::ApplyMigrations(
            url, "identity",
            {agora::identity::IdentityMigrations(),
             agora::events::OutboxMigrations(),
             agora::idempotency::IdempotencyMigrations()});
    if (!migrated.ok()) return migrated.status();
    pool_ = std::make_unique<agora::pg::ConnectionPool>(
        agora::pg::PoolOptions{.conninfo = url, .max_size = 8});
    keys_ = std::make_shared<SigningKeys>(
        *pool_, agora::identity::KeySealer("bench key-encryption key, 32+ B"));
    if (absl::Status s = keys_->Load(); !s.ok()) return s;
    // Identity's own verifier (main.cc): the keys SigningKeys publishes.
    agora::auth::JwtVerifierOptions options;
    options.issuer = "agora-identity";
    options.audience = "agora";
    verifier_ = std::make_unique<agora::auth::JwtVerifier>(options, keys_);

    // A token like the ones Login hands out.
    member_.id = "3f0c6a52-8d8e-4b8f-9a57-1c2d3e4f5a6b";
    member_.tenant = "fr";
    member_.roles = {agora::auth::kRoleMember};
    member_.trust_level = 2;

    const std::string redis_address = Env("AGORA_BENCH_REDIS_ADDR");
    if (redis_address.empty()) return absl::OkStatus();
    absl::StatusOr<agora::redis::RedisOptions> redis_options =
        agora::redis::ParseAddress(redis_address);
    if (!redis_options.ok()) return redis_options.status();
    redis_ = std::make_unique<agora::redis::RedisClient>(*redis_options);
    context_ = std::make_unique<IdentityContext>(
        IdentityContext{.pool = *pool_,
                        .redis = *redis_,
                        .keys = agora::redis::KeyBuilder(
                            absl::StrCat("agora_bench_identity_", getpid())),
                        .signing_keys = *keys_,
                        .passwords = hasher_});
    absl::StatusOr<std::string> hash = hasher_.Hash(kPassword);
    if (!hash.ok()) return hash.status();
    return agora::pg::RunTransaction(
        *pool_, [&](pqxx::transaction_base& tx) -> absl::Status {
          tx.exec(
              "INSERT INTO tenants (id, display_name, default_language,"
              " allowed_languages, time_zone, state, terms_version)"
              " VALUES ('fr', 'Banque Exemple France', 'fr', '{fr}',"
              " 'Europe/Paris', 1, 'v1')");
          for (int i = 0; i < kLoginMembers; ++i) {
            tx.exec_params(
                "INSERT INTO members (id, tenant, email, email_key,"
                " email_verified, password_hash, display_name,"
                " display_name_key, language, state)"
                " VALUES (gen_random_uuid(), 'fr', $1, $1, true, $2, $3,"
                " lower($3), 'fr', 2)",
                LoginEmail(i), *hash, absl::StrCat("Bench ", i));
          }
          return absl::OkStatus();
        });
  }

  const std::string admin_url_;
  const std::string database_;
  const PasswordHasher hasher_;
  std::unique_ptr<agora::pg::ConnectionPool> pool_;
  std::shared_ptr<SigningKeys> keys_;
  std::unique_ptr<agora::auth::JwtVerifier> verifier_;
  std::unique_ptr<agora::redis::RedisClient> redis_;
  std::unique_ptr<IdentityContext> context_;
  agora::identity::MemberRecord member_;
};

// Set up by main before any benchmark runs; null when PostgreSQL is missing.
IdentityBench* bench_environment = nullptr;

agora::auth::Claims MemberClaims() {
  agora::auth::Claims claims;
  claims.issuer = "agora-identity";
  claims.audience = {"agora"};
  claims.subject = "3f0c6a52-8d8e-4b8f-9a57-1c2d3e4f5a6b";
  claims.tenant = "fr";
  claims.roles = {agora::auth::kRoleMember};
  claims.trust_level = 2;
  claims.issued_at = absl::Now();
  claims.not_before = claims.issued_at;
  claims.expires_at = absl::Now() + absl::Minutes(15);
  claims.token_id = "0b6f1f1e-6a3c-4f43-8c1e-5a2b3c4d5e6f";
  claims.extra["verified_customer"] = false;
  return claims;
}

// The floor under the two below: one Ed25519 signature and verification of
// a token-sized message through OpenSSL, no JSON or base64 (compare with
// `openssl speed ed25519`, which bench/run prints too).
void BM_Ed25519Sign(benchmark::State& state) {
  static const absl::StatusOr<agora::auth::Ed25519PrivateKey> key =
      agora::auth::Ed25519PrivateKey::Generate();
  const std::string message(300, 'x');
  for (auto _ : state) {
    absl::StatusOr<std::string> signature = key->Sign(message);
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Sign)->Threads(1)->UseRealTime();

void BM_Ed25519Verify(benchmark::State& state) {
  static const absl::StatusOr<agora::auth::Ed25519PrivateKey> key =
      agora::auth::Ed25519PrivateKey::Generate();
  const std::string message(300, 'x');
  const std::string signature = *key->Sign(message);
  for (auto _ : state) {
    const bool ok = key->public_key().Verify(message, signature);
    if (!ok) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Verify)->Threads(1)->UseRealTime();

void BM_SignAccessToken(benchmark::State& state) {
  if (bench_environment == nullptr) {
    state.SkipWithError("needs AGORA_BENCH_PG_URL");
    return;
  }
  const agora::auth::Claims claims = MemberClaims();
  for (auto _ : state) {
    absl::StatusOr<std::string> token = bench_environment->keys().Sign(claims);
    if (!token.ok()) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(token);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignAccessToken)->Threads(1)->Threads(2)->UseRealTime();

// The domain's issuer: claims from the member record, a fresh jti, signing.
void BM_IssueMemberAccessToken(benchmark::State& state) {
  if (bench_environment == nullptr || bench_environment->context() == nullptr) {
    state.SkipWithError("needs AGORA_BENCH_PG_URL and AGORA_BENCH_REDIS_ADDR");
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<agora::identity::AccessToken> token =
        agora::identity::IssueMemberAccessToken(*bench_environment->context(),
                                                bench_environment->member());
    if (!token.ok()) state.SkipWithError("issue failed");
    benchmark::DoNotOptimize(token);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IssueMemberAccessToken)->Threads(1)->UseRealTime();

void BM_VerifyAccessToken(benchmark::State& state) {
  if (bench_environment == nullptr) {
    state.SkipWithError("needs AGORA_BENCH_PG_URL");
    return;
  }
  const std::string token = *bench_environment->keys().Sign(MemberClaims());
  for (auto _ : state) {
    absl::StatusOr<agora::auth::Claims> claims =
        bench_environment->verifier().Verify(token);
    if (!claims.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(claims);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyAccessToken)->Threads(1)->Threads(2)->UseRealTime();

void BM_Argon2idHash(benchmark::State& state) {
  const PasswordHasher hasher(kProduction);
  for (auto _ : state) {
    absl::StatusOr<std::string> hash = hasher.Hash(kPassword);
    if (!hash.ok()) state.SkipWithError("hash failed");
    benchmark::DoNotOptimize(hash);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Argon2idHash)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_Argon2idVerify(benchmark::State& state) {
  const PasswordHasher hasher(kProduction);
  const std::string hash = *hasher.Hash(kPassword);
  for (auto _ : state) {
    const bool ok = hasher.Verify(hash, kPassword);
    if (!ok) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Argon2idVerify)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The domain's Login, as the handler calls it: everything but gRPC.
void BM_Login(benchmark::State& state) {
  if (bench_environment == nullptr || bench_environment->context() == nullptr) {
    state.SkipWithError("needs AGORA_BENCH_PG_URL and AGORA_BENCH_REDIS_ADDR");
    return;
  }
  agora::identity::v1::LoginRequest request;
  request.set_tenant("tenants/fr");
  request.set_email(bench_environment->LoginEmail(state.thread_index()));
  request.set_password(kPassword);
  const agora::identity::CallInfo call{"198.51.100.20"};
  for (auto _ : state) {
    absl::StatusOr<agora::identity::v1::Session> session =
        agora::identity::Login(*bench_environment->context(), nullptr, call,
                               request);
    if (!session.ok()) {
      state.SkipWithError(session.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(session);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Login)->Threads(1)->Threads(2)->UseRealTime()->Unit(
    benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::unique_ptr<IdentityBench> environment;
  absl::StatusOr<std::unique_ptr<IdentityBench>> created =
      IdentityBench::Create();
  if (created.ok()) {
    environment = *std::move(created);
    bench_environment = environment.get();
  } else {
    std::fprintf(stderr, "identity_sign_in_bench: %s\n",
                 created.status().ToString().c_str());
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  bench_environment = nullptr;
  return 0;
}
