// A moderation domain on real PostgreSQL (its own database, migrated) and
// Redis (its own key prefix), with principals of each kind, for the tests of
// services/moderation. Domain functions are called directly with these
// principals; moderation_grpc_test.cc goes through gRPC and real tokens.
#ifndef AGORA_TESTS_SERVICES_MODERATION_MODERATION_FIXTURE_H_
#define AGORA_TESTS_SERVICES_MODERATION_MODERATION_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "libs/auth/principal.h"
#include "libs/auth/roles.h"
#include "libs/events/schema.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "services/moderation/domain/moderation_context.h"
#include "services/moderation/domain/rules_cache.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/migrations.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_redis.h"

namespace agora::moderation {

class ModerationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create(
        "moderation", {ModerationMigrations(), events::OutboxMigrations()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 8});
    redis_ = std::make_unique<redis::RedisClient>(redis_namespace_.options());
    screening::TenantScreeningConfig base;
    base.staff_names = {"Support", "Conseiller", "Banque Exemple"};
    base.countries = {"FR", "IT", "PL", "NL"};
    base.link_policy.bank_domains = {"banque-exemple.fr"};
    rules_ = std::make_unique<RulesCache>(base);
    context_ = std::make_unique<ModerationContext>(ModerationContext{
        *pool_, *redis_, redis::KeyBuilder(redis_namespace_.prefix()),
        events::Outbox("moderation"), *rules_});
  }

  static auth::Principal Member(const std::string& tenant,
                                const std::string& id, int trust_level = 2) {
    auth::Principal principal;
    principal.subject = id;
    principal.tenant = tenant;
    principal.roles = {auth::kRoleMember};
    principal.trust_level = trust_level;
    return principal;
  }
  static auth::Principal WithRole(auth::Principal principal,
                                  const std::string& role) {
    principal.roles.push_back(role);
    return principal;
  }
  static auth::Principal Moderator(const std::string& tenant,
                                   const std::string& id) {
    return WithRole(Member(tenant, id, 4), auth::kRoleModerator);
  }
  static auth::Principal TenantAdmin(const std::string& tenant,
                                     const std::string& id) {
    return WithRole(Member(tenant, id, 4), auth::kRoleTenantAdmin);
  }
  // The content service: a service account with scope moderation.screen.
  static auth::Principal ContentService(const std::string& tenant) {
    auth::Principal principal;
    principal.subject = "content";
    principal.tenant = tenant;
    principal.roles = {auth::kRoleService};
    principal.scopes = {"moderation.screen"};
    principal.is_service_account = true;
    return principal;
  }

  ModerationContext& context() { return *context_; }
  // What moderation's sealer does in the background: the audit records of
  // committed actions into their tenant's chain (audit_log).
  void SealAudit() {
    absl::StatusOr<int64_t> sealed = SealAllAuditChains(*pool_);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
  }
  const std::string& database_url() const { return db_->url(); }

  testing::TestRedis redis_namespace_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<RulesCache> rules_;
  std::unique_ptr<ModerationContext> context_;
};

}  // namespace agora::moderation

#endif  // AGORA_TESTS_SERVICES_MODERATION_MODERATION_FIXTURE_H_
