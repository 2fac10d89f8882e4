// Screen through the domain, on real PostgreSQL and Redis.
#include "services/moderation/domain/screening.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/pg/transaction.h"
#include "services/moderation/repository/rule_store.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

class ScreenPostTest : public ModerationTest {};

TEST_F(ScreenPostTest, CardNumberIsMaskedAndNeverStoredInClear) {
  v1::ScreenRequest request = ScreenRequestFor(
      "fr", "p1", "Ma carte 4970 1012 3456 7893 est bloquée, que faire ?", 3);
  absl::StatusOr<v1::Screening> screening =
      ScreenPost(context(), ContentService("fr"), request);
  ASSERT_TRUE(screening.ok()) << screening.status();
  EXPECT_FALSE(
      absl::StrContains(screening->masked_body(), "4970 1012 3456 7893"));
  EXPECT_TRUE(absl::StrContains(screening->masked_body(), "•••• 7893"))
      << screening->masked_body();
  EXPECT_TRUE(std::any_of(
      screening->reasons().begin(), screening->reasons().end(), [](int r) {
        return r == common::MODERATION_REASON_PERSONAL_DATA_MASKED;
      }));
  // Nothing stored holds the number: screenings, queue, audit log.
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM screenings"), 1);
  EXPECT_EQ(
      CountRows(
          database_url(),
          "SELECT count(*) FROM screenings WHERE position('4970 1012 3456' in"
          " encode(screening, 'escape')) > 0"),
      0);
  SealAudit();
  EXPECT_EQ(
      CountRows(database_url(),
                "SELECT count(*) FROM audit_log WHERE payload LIKE '%4970%'"),
      0);
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM audit_log WHERE entry_type = 1"),
            1);
}

TEST_F(ScreenPostTest, CleanPostFromTrustedAuthorIsPublishedWithoutQueueItem) {
  absl::StatusOr<v1::Screening> screening =
      ScreenPost(context(), ContentService("fr"),
                 ScreenRequestFor(
                     "fr", "p2",
                     "Bonjour, comment activer le paiement sans contact ?", 5));
  ASSERT_TRUE(screening.ok()) << screening.status();
  EXPECT_EQ(screening->verdict(), common::MODERATION_VERDICT_PUBLISH);
  EXPECT_TRUE(screening->queue_item().empty());
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM queue_items"), 0);
}

TEST_F(ScreenPostTest, PreModeratedSpaceHoldsWithDueTimeFromTheSla) {
  v1::ScreenRequest request = ScreenRequestFor(
      "fr", "p3", "Bonjour, une question sur les virements.", 5);
  request.set_space("tenants/fr/spaces/forum");
  request.set_space_moderation_mode(common::MODERATION_MODE_PRE_MODERATION);
  const absl::Time before = absl::Now();
  absl::StatusOr<v1::Screening> screening =
      ScreenPost(context(), ContentService("fr"), request);
  ASSERT_TRUE(screening.ok()) << screening.status();
  EXPECT_EQ(screening->verdict(), common::MODERATION_VERDICT_HOLD);
  ASSERT_FALSE(screening->queue_item().empty());
  const absl::Time due =
      absl::FromUnixSeconds(screening->review_due_time().seconds());
  EXPECT_GE(due, before + absl::Minutes(15) - absl::Seconds(2));
  EXPECT_LE(due, absl::Now() + absl::Minutes(15) + absl::Seconds(2));
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM queue_items WHERE state = 1"),
            1);
}

TEST_F(ScreenPostTest, BlockedTermRuleRejects) {
  ASSERT_TRUE(pg::RunTransaction(*pool_, [](pqxx::transaction_base& tx) {
                v1::Rule rule;
                rule.set_display_name("Crypto scams");
                rule.set_action(v1::RULE_ACTION_BLOCK);
                rule.mutable_terms()->add_terms("bitcoin gratuit");
                rule.set_enabled(true);
                return InsertRule(tx, "fr", "crypto", rule).status();
              }).ok());
  absl::StatusOr<v1::Screening> screening = ScreenPost(
      context(), ContentService("fr"),
      ScreenRequestFor("fr", "p4", "Gagnez du Bitcoin Gratuit en cliquant ici",
                       5));
  ASSERT_TRUE(screening.ok()) << screening.status();
  EXPECT_EQ(screening->verdict(), common::MODERATION_VERDICT_REJECT);
  EXPECT_TRUE(std::any_of(screening->findings().begin(),
                          screening->findings().end(),
                          [](const v1::Finding& f) {
                            return f.type() == v1::FINDING_TYPE_BLOCKED_TERM &&
                                   absl::StrContains(f.rule(), "crypto");
                          }));
}

TEST_F(ScreenPostTest, RetryWithTheSameRequestIdReturnsTheFirstScreening) {
  v1::ScreenRequest request =
      ScreenRequestFor("fr", "p5", "Une question simple.", 3);
  request.set_request_id("4f7b7c0e-0000-4000-8000-000000000001");
  absl::StatusOr<v1::Screening> first =
      ScreenPost(context(), ContentService("fr"), request);
  absl::StatusOr<v1::Screening> second =
      ScreenPost(context(), ContentService("fr"), request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM screenings"), 1);
}

TEST_F(ScreenPostTest, DryRunRecordsNothing) {
  v1::ScreenRequest request =
      ScreenRequestFor("fr", "p6", "Essai de règle.", 3);
  request.set_dry_run(true);
  absl::StatusOr<v1::Screening> screening =
      ScreenPost(context(), TenantAdmin("fr", "admin-1"), request);
  ASSERT_TRUE(screening.ok()) << screening.status();
  EXPECT_TRUE(screening->name().empty());
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM screenings"), 0);
  SealAudit();
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM audit_log"), 0);
}

TEST_F(ScreenPostTest, OnlyTheContentServiceOfTheTenantMayScreen) {
  const v1::ScreenRequest request = ScreenRequestFor("fr", "p7", "Bonjour.", 3);
  EXPECT_EQ(ScreenPost(context(), Member("fr", "m1"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      ScreenPost(context(), ContentService("it"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      ScreenPost(context(), Moderator("fr", "mod"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(ScreenPostTest, BadInputIsRefusedNamingTheField) {
  v1::ScreenRequest request =
      ScreenRequestFor("fr", "p8", std::string(40001, 'a'), 3);
  EXPECT_EQ(ScreenPost(context(), ContentService("fr"), request).status(),
            absl::InvalidArgumentError("body: at most 40000 characters"));
  request = ScreenRequestFor("fr", "p8", "ok", 3);
  request.clear_language();
  EXPECT_EQ(
      ScreenPost(context(), ContentService("fr"), request).status().code(),
      absl::StatusCode::kInvalidArgument);
  request = ScreenRequestFor("fr", "p8", "ok", 3);
  request.mutable_target()->set_name("tenants/it/posts/p8");
  EXPECT_EQ(
      ScreenPost(context(), ContentService("fr"), request).status(),
      absl::InvalidArgumentError("target.name: must be a post of tenants/fr"));
  request = ScreenRequestFor("fr", "p8", "ok", 0);
  EXPECT_EQ(ScreenPost(context(), ContentService("fr"), request).status(),
            absl::InvalidArgumentError(
                "author_trust_level: required (NEW to LEADER)"));
  request = ScreenRequestFor("fr", "p8", std::string("caf\xc3", 4), 3);
  EXPECT_EQ(ScreenPost(context(), ContentService("fr"), request).status(),
            absl::InvalidArgumentError("body: must be UTF-8"));
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM screenings"), 0);
}

TEST_F(ScreenPostTest, NearDuplicateAndVelocityAreFound) {
  const std::string text =
      "Bonjour à tous, je cherche un conseil pour placer mon épargne sur un "
      "livret "
      "sans frais avec un bon taux, merci de vos retours.";
  ASSERT_TRUE(ScreenPost(context(), ContentService("fr"),
                         ScreenRequestFor("fr", "d1", text))
                  .ok());
  absl::StatusOr<v1::Screening> again =
      ScreenPost(context(), ContentService("fr"),
                 ScreenRequestFor("fr", "d2", text + " Merci !"));
  ASSERT_TRUE(again.ok()) << again.status();
  auto has = [](const v1::Screening& s, v1::FindingType type) {
    return std::any_of(s.findings().begin(), s.findings().end(),
                       [&](const v1::Finding& f) { return f.type() == type; });
  };
  EXPECT_TRUE(has(*again, v1::FINDING_TYPE_DUPLICATE));
  // Default policy: at most 5 posts in 10 minutes.
  absl::StatusOr<v1::Screening> last;
  for (int i = 0; i < 5; ++i) {
    last = ScreenPost(context(), ContentService("fr"),
                      ScreenRequestFor("fr", absl::StrCat("v", i),
                                       absl::StrCat("Sujet différent numéro ",
                                                    i, " sur les cartes")));
    ASSERT_TRUE(last.ok()) << last.status();
  }
  EXPECT_TRUE(has(*last, v1::FINDING_TYPE_VELOCITY));
}

}  // namespace
}  // namespace agora::moderation
