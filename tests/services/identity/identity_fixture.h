// An identity domain on real PostgreSQL (its own database, migrated) and
// Redis (its own key prefix), with signing keys, a password hasher and
// principals of each kind, for the tests of services/identity. Domain
// functions are called directly with these principals;
// identity_grpc_test.cc goes through gRPC and real tokens.
//
// The hasher here uses cheap argon2id parameters (1 MiB, 1 pass) so that
// hundreds of sign-ins stay fast under the sanitizers; the tests of the
// production cost and of enumeration timing build their own hasher.
#ifndef AGORA_TESTS_SERVICES_IDENTITY_IDENTITY_FIXTURE_H_
#define AGORA_TESTS_SERVICES_IDENTITY_IDENTITY_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "libs/auth/jwt_verifier.h"
#include "libs/auth/principal.h"
#include "libs/auth/roles.h"
#include "libs/events/schema.h"
#include "libs/idempotency/schema.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/redis/client.h"
#include "services/identity/domain/identity_context.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/repository/migrations.h"
#include "services/identity/repository/signing_keys.h"
#include "services/identity/repository/tenant_store.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_redis.h"

namespace agora::identity {

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create(
        "identity", {IdentityMigrations(), events::OutboxMigrations(),
                     idempotency::IdempotencyMigrations()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 8});
    redis_ = std::make_unique<redis::RedisClient>(redis_namespace_.options());
    keys_ = std::make_shared<SigningKeys>(*pool_,
                                          KeySealer("test key-encryption key"));
    ASSERT_TRUE(keys_->Load().ok());
    hasher_ = std::make_unique<PasswordHasher>(
        Argon2Parameters{.memory_kib = 1024, .iterations = 1, .lanes = 1});
    context_ = std::make_unique<IdentityContext>(
        IdentityContext{.pool = *pool_,
                        .redis = *redis_,
                        .keys = redis::KeyBuilder(redis_namespace_.prefix()),
                        .signing_keys = *keys_,
                        .passwords = *hasher_});
    auth::JwtVerifierOptions options;
    options.issuer = context_->settings.issuer;
    options.audience = context_->settings.audience;
    verifier_ = std::make_unique<auth::JwtVerifier>(options, keys_);
    InsertTenant("fr", {"fr"});
    InsertTenant("it", {"it"});
  }

  // A tenant straight into the table (the tenant RPCs have their own tests).
  void InsertTenant(const std::string& id,
                    const std::vector<std::string>& languages) {
    Exec(
        "INSERT INTO tenants (id, display_name, default_language,"
        " allowed_languages, time_zone, state, reserved_display_names,"
        " terms_version) VALUES ($1, $1, $2, $3, 'Europe/Paris', 1,"
        " '{Support,Conseiller,Banque Exemple}', 'v1')",
        id, languages.front(), ToTextArray(languages));
  }

  // An active, verified member with a password and extra roles; its id.
  std::string InsertMember(const std::string& tenant, const std::string& email,
                           const std::string& password,
                           const std::string& display_name,
                           const std::vector<std::string>& roles = {}) {
    const std::string hash = hasher_->Hash(password).value();
    std::string id;
    Exec(
        "INSERT INTO members (id, tenant, email, email_key, email_verified,"
        " password_hash, display_name, display_name_key, language, state)"
        " VALUES (gen_random_uuid(), $1, $2, lower($2), true, $3, $4,"
        " lower($4), 'fr', 2)",
        tenant, email, hash, display_name);
    id = Query(
        "SELECT id::text FROM members WHERE tenant = $1 AND email_key = "
        "lower($2)",
        tenant, email);
    for (const std::string& role : roles) {
      Exec("INSERT INTO member_roles (member, role) VALUES ($1::uuid, $2)", id,
           role);
    }
    return id;
  }

  template <typename... Args>
  void Exec(const std::string& sql, const Args&... args) {
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  tx.exec_params(sql, args...);
                  return absl::OkStatus();
                }).ok());
  }

  // The first column of the first row, as text ("" when there is none).
  template <typename... Args>
  std::string Query(const std::string& sql, const Args&... args) {
    std::string value;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  const pqxx::result rows = tx.exec_params(sql, args...);
                  if (!rows.empty() && !rows[0][0].is_null()) {
                    value = rows[0][0].as<std::string>();
                  }
                  return absl::OkStatus();
                }).ok());
    return value;
  }

  static auth::Principal Member(const std::string& tenant,
                                const std::string& id) {
    auth::Principal principal;
    principal.subject = id;
    principal.tenant = tenant;
    principal.roles = {auth::kRoleMember};
    return principal;
  }
  static auth::Principal WithRole(auth::Principal principal,
                                  const std::string& role) {
    principal.roles.push_back(role);
    return principal;
  }
  static auth::Principal TenantAdmin(const std::string& tenant,
                                     const std::string& id) {
    return WithRole(Member(tenant, id), auth::kRoleTenantAdmin);
  }
  static auth::Principal Moderator(const std::string& tenant,
                                   const std::string& id) {
    return WithRole(Member(tenant, id), auth::kRoleModerator);
  }
  static auth::Principal PlatformAdmin(const std::string& id) {
    return WithRole(Member("fr", id), auth::kRolePlatformAdmin);
  }
  static auth::Principal Service(const std::string& tenant,
                                 std::vector<std::string> scopes) {
    auth::Principal principal;
    principal.subject = "serviceAccounts/test";
    principal.tenant = tenant;
    principal.roles = {auth::kRoleService};
    principal.scopes = std::move(scopes);
    principal.is_service_account = true;
    return principal;
  }

  IdentityContext& context() { return *context_; }
  const auth::JwtVerifier& verifier() { return *verifier_; }

  testing::TestRedis redis_namespace_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::shared_ptr<SigningKeys> keys_;
  std::unique_ptr<PasswordHasher> hasher_;
  std::unique_ptr<IdentityContext> context_;
  std::unique_ptr<auth::JwtVerifier> verifier_;
};

}  // namespace agora::identity

#endif  // AGORA_TESTS_SERVICES_IDENTITY_IDENTITY_FIXTURE_H_
