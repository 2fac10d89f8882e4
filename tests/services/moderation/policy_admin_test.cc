// The tenant moderation policy through the domain, on real PostgreSQL.
#include "services/moderation/domain/policy_admin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/policy_store.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

v1::UpdateModerationPolicyRequest UpdateRequest(
    const std::string& tenant, const std::vector<std::string>& paths,
    const std::function<void(v1::ModerationPolicy&)>& edit) {
  v1::UpdateModerationPolicyRequest request;
  request.mutable_moderation_policy()->set_name(
      absl::StrCat("tenants/", tenant, "/moderationPolicy"));
  edit(*request.mutable_moderation_policy());
  for (const std::string& path : paths) {
    request.mutable_update_mask()->add_paths(path);
  }
  return request;
}

class PolicyAdminTest : public ModerationTest {
 protected:
  auth::Principal admin_ = TenantAdmin("fr", "admin-1");

  absl::StatusOr<v1::ModerationPolicy> Get(const auth::Principal& caller) {
    v1::GetModerationPolicyRequest request;
    request.set_name("tenants/fr/moderationPolicy");
    return GetModerationPolicy(context(), caller, request);
  }

  std::vector<v1::AuditEntry> AuditEntries() {
    SealAudit();
    std::vector<v1::AuditEntry> entries;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  entries = ReadAuditEntries(tx, "fr", 1, 0, 1000);
                  return absl::OkStatus();
                }).ok());
    return entries;
  }
};

TEST_F(PolicyAdminTest, DefaultsUntilUpdatedThenOnlyMaskedFieldsChange) {
  absl::StatusOr<v1::ModerationPolicy> initial = Get(Moderator("fr", "mod-1"));
  ASSERT_TRUE(initial.ok()) << initial.status();
  EXPECT_EQ(initial->name(), "tenants/fr/moderationPolicy");
  EXPECT_EQ(initial->etag(), "0");
  EXPECT_EQ(TimeUtil::DurationToSeconds(initial->review_sla()), 900);

  v1::UpdateModerationPolicyRequest request =
      UpdateRequest("fr", {"review_sla"}, [](v1::ModerationPolicy& policy) {
        *policy.mutable_review_sla() = TimeUtil::SecondsToDuration(1800);
        policy.set_flag_threshold(50);  // not in the mask: ignored
      });
  request.mutable_moderation_policy()->set_etag("0");
  absl::StatusOr<v1::ModerationPolicy> updated =
      UpdateModerationPolicy(context(), admin_, request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "1");
  EXPECT_EQ(TimeUtil::DurationToSeconds(updated->review_sla()), 1800);
  EXPECT_EQ(updated->flag_threshold(), 3.0);

  absl::StatusOr<v1::ModerationPolicy> read = Get(admin_);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->SerializeAsString(), updated->SerializeAsString());

  // The etag "0" is stale now; nothing changes.
  request.mutable_moderation_policy()->mutable_review_sla()->set_seconds(60);
  absl::StatusOr<v1::ModerationPolicy> stale =
      UpdateModerationPolicy(context(), admin_, request);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(stale.status().message()), HasSubstr("etag"));
  EXPECT_EQ(TimeUtil::DurationToSeconds(Get(admin_)->review_sla()), 1800);

  // Nested paths and whole repeated fields.
  request = UpdateRequest(
      "fr", {"link_policy.allowed_domains", "space_matrices"},
      [](v1::ModerationPolicy& policy) {
        policy.mutable_link_policy()->add_allowed_domains("*.europa.eu");
        policy.mutable_link_policy()->set_max_links_per_post(99);  // not masked
        v1::SpaceDecisionMatrix& space = *policy.add_space_matrices();
        space.set_space("tenants/fr/spaces/cartes");
        *space.mutable_matrix() = DefaultDecisionMatrix();
      });
  updated = UpdateModerationPolicy(context(), admin_, request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->link_policy().allowed_domains_size(), 1);
  EXPECT_EQ(updated->link_policy().max_links_per_post(), 10);
  EXPECT_EQ(updated->space_matrices_size(), 1);
  EXPECT_EQ(TimeUtil::DurationToSeconds(updated->review_sla()), 1800);
}

TEST_F(PolicyAdminTest, WildcardMaskReplacesEverythingAndUnsetMeansDefault) {
  ASSERT_TRUE(
      UpdateModerationPolicy(context(), admin_,
                             UpdateRequest("fr", {"flag_threshold"},
                                           [](v1::ModerationPolicy& policy) {
                                             policy.set_flag_threshold(7);
                                           }))
          .ok());
  absl::StatusOr<v1::ModerationPolicy> updated = UpdateModerationPolicy(
      context(), admin_,
      UpdateRequest("fr", {"*"}, [](v1::ModerationPolicy& policy) {
        *policy.mutable_review_sla() = TimeUtil::SecondsToDuration(1200);
      }));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(TimeUtil::DurationToSeconds(updated->review_sla()), 1200);
  EXPECT_EQ(updated->flag_threshold(), 3.0) << "back to the default";
  EXPECT_EQ(updated->decision_matrix().thresholds_size(), 5);
}

TEST_F(PolicyAdminTest, OutOfRangeValuesAreRefusedNamingTheField) {
  using Edit = std::function<void(v1::ModerationPolicy&)>;
  struct Case {
    std::string path;
    Edit edit;
    std::string expected;
  };
  auto duration = [](int64_t seconds) {
    return TimeUtil::SecondsToDuration(seconds);
  };
  auto matrix_with = [](int row, int publish, int review, int hold) {
    v1::DecisionMatrix matrix = DefaultDecisionMatrix();
    matrix.mutable_thresholds(row)->set_publish_below(publish);
    matrix.mutable_thresholds(row)->set_review_below(review);
    matrix.mutable_thresholds(row)->set_hold_below(hold);
    return matrix;
  };
  const std::vector<Case> cases = {
      {"shouting_uppercase_ratio",
       [](auto& p) { p.set_shouting_uppercase_ratio(0.3); },
       "moderation_policy.shouting_uppercase_ratio: 0.5-1.0"},
      {"duplicate_similarity", [](auto& p) { p.set_duplicate_similarity(1.5); },
       "moderation_policy.duplicate_similarity: 0.5-1.0"},
      {"duplicate_lookback",
       [&](auto& p) { *p.mutable_duplicate_lookback() = duration(1800); },
       "moderation_policy.duplicate_lookback: 1 hour to 30 days"},
      {"review_sla", [&](auto& p) { *p.mutable_review_sla() = duration(59); },
       "moderation_policy.review_sla: 1 minute to 7 days"},
      {"review_sla",
       [&](auto& p) { *p.mutable_review_sla() = duration(7 * 86400 + 1); },
       "moderation_policy.review_sla: 1 minute to 7 days"},
      {"review_sla", [&](auto& p) { *p.mutable_review_sla() = duration(0); },
       "moderation_policy.review_sla: 1 minute to 7 days"},
      {"appeal_window",
       [&](auto& p) { *p.mutable_appeal_window() = duration(91 * 86400); },
       "moderation_policy.appeal_window: 1 to 90 days"},
      {"appeal_window",
       [&](auto& p) { *p.mutable_appeal_window() = duration(3600); },
       "moderation_policy.appeal_window: 1 to 90 days"},
      {"flag_threshold", [](auto& p) { p.set_flag_threshold(0.5); },
       "moderation_policy.flag_threshold: 1.0-100.0"},
      {"flag_threshold", [](auto& p) { p.set_flag_threshold(100.5); },
       "moderation_policy.flag_threshold: 1.0-100.0"},
      {"max_posts_per_10_minutes",
       [](auto& p) { p.set_max_posts_per_10_minutes(1001); },
       "moderation_policy.max_posts_per_10_minutes: 1-1,000"},
      {"decision_matrix",
       [&](auto& p) {
         *p.mutable_decision_matrix() = matrix_with(1, 50, 40, 80);
       },
       "moderation_policy.decision_matrix.thresholds[1].review_below"},
      {"decision_matrix",
       [&](auto& p) {
         *p.mutable_decision_matrix() = matrix_with(2, 10, 50, 40);
       },
       "moderation_policy.decision_matrix.thresholds[2].hold_below"},
      {"decision_matrix",
       [&](auto& p) {
         *p.mutable_decision_matrix() = matrix_with(0, 10, 20, 102);
       },
       "moderation_policy.decision_matrix.thresholds[0].hold_below: 0-101"},
      {"decision_matrix",
       [&](auto& p) {
         *p.mutable_decision_matrix() = matrix_with(0, -1, 20, 30);
       },
       "moderation_policy.decision_matrix.thresholds[0].publish_below"},
      {"decision_matrix",
       [](auto& p) {
         *p.mutable_decision_matrix() = DefaultDecisionMatrix();
         p.mutable_decision_matrix()->mutable_thresholds()->RemoveLast();
       },
       "moderation_policy.decision_matrix.thresholds: one row per trust level"},
      {"decision_matrix",
       [](auto& p) {
         *p.mutable_decision_matrix() = DefaultDecisionMatrix();
         p.mutable_decision_matrix()->mutable_thresholds(4)->set_trust_level(
             common::TRUST_LEVEL_NEW);
       },
       "moderation_policy.decision_matrix.thresholds[4].trust_level: "
       "duplicate"},
      {"space_matrices",
       [](auto& p) {
         for (int i = 0; i < 101; ++i) {
           v1::SpaceDecisionMatrix& space = *p.add_space_matrices();
           space.set_space(absl::StrCat("tenants/fr/spaces/s", i));
           *space.mutable_matrix() = DefaultDecisionMatrix();
         }
       },
       "moderation_policy.space_matrices: at most 100"},
      {"space_matrices",
       [](auto& p) {
         v1::SpaceDecisionMatrix& space = *p.add_space_matrices();
         space.set_space("tenants/it/spaces/carte");
         *space.mutable_matrix() = DefaultDecisionMatrix();
       },
       "moderation_policy.space_matrices[0].space: must be a space of "
       "tenants/fr"},
      {"space_matrices",
       [](auto& p) {
         p.add_space_matrices()->set_space("tenants/fr/spaces/a");
       },
       "moderation_policy.space_matrices[0].matrix.thresholds"},
      {"link_policy.allowed_domains",
       [](auto& p) {
         p.mutable_link_policy()->add_allowed_domains("example.com");
         p.mutable_link_policy()->add_allowed_domains("Not A Domain");
       },
       "moderation_policy.link_policy.allowed_domains[1]"},
      {"link_policy.bank_domains",
       [](auto& p) { p.mutable_link_policy()->add_bank_domains("*.bank.fr"); },
       "moderation_policy.link_policy.bank_domains[0]"},
      {"link_policy.bank_domains",
       [](auto& p) {
         for (int i = 0; i < 51; ++i) {
           p.mutable_link_policy()->add_bank_domains(
               absl::StrCat("bank", i, ".fr"));
         }
       },
       "moderation_policy.link_policy.bank_domains: at most 50"},
      {"link_policy",
       [](auto& p) { p.mutable_link_policy()->set_max_links_per_post(101); },
       "moderation_policy.link_policy.max_links_per_post: 0-100"},
      {"link_policy.min_trust_level",
       [](auto& p) {
         p.mutable_link_policy()->set_min_trust_level(
             static_cast<common::TrustLevel>(9));
       },
       "moderation_policy.link_policy.min_trust_level"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::ModerationPolicy> updated = UpdateModerationPolicy(
        context(), admin_, UpdateRequest("fr", {c.path}, c.edit));
    EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument)
        << c.expected;
    EXPECT_THAT(std::string(updated.status().message()), HasSubstr(c.expected));
  }
  EXPECT_EQ(Get(admin_)->etag(), "0") << "nothing was stored";
  EXPECT_TRUE(AuditEntries().empty());

  // The bounds themselves pass.
  absl::StatusOr<v1::ModerationPolicy> edges = UpdateModerationPolicy(
      context(), admin_,
      UpdateRequest("fr", {"*"}, [&](v1::ModerationPolicy& p) {
        *p.mutable_decision_matrix() = matrix_with(4, 101, 101, 101);
        p.set_shouting_uppercase_ratio(1.0);
        p.set_duplicate_similarity(0.5);
        *p.mutable_duplicate_lookback() = duration(30 * 86400);
        p.set_max_posts_per_10_minutes(1000);
        p.set_flag_threshold(100);
        *p.mutable_review_sla() = duration(60);
        *p.mutable_appeal_window() = duration(90 * 86400);
        p.mutable_link_policy()->set_max_links_per_post(100);
      }));
  EXPECT_TRUE(edges.ok()) << edges.status();
}

TEST_F(PolicyAdminTest, BadMasksAndNamesAreRefused) {
  auto edit = [](v1::ModerationPolicy& p) { p.set_flag_threshold(5); };
  EXPECT_THAT(std::string(UpdateModerationPolicy(context(), admin_,
                                                 UpdateRequest("fr", {}, edit))
                              .status()
                              .message()),
              HasSubstr("update_mask: required"));
  EXPECT_THAT(
      std::string(UpdateModerationPolicy(context(), admin_,
                                         UpdateRequest("fr", {"etag"}, edit))
                      .status()
                      .message()),
      HasSubstr("update_mask: etag"));
  v1::UpdateModerationPolicyRequest wrong_name =
      UpdateRequest("fr", {"flag_threshold"}, edit);
  wrong_name.mutable_moderation_policy()->set_name("tenants/fr/policy");
  EXPECT_THAT(std::string(UpdateModerationPolicy(context(), admin_, wrong_name)
                              .status()
                              .message()),
              HasSubstr("moderation_policy.name"));
}

TEST_F(PolicyAdminTest, OnlyTenantAdminsOfTheTenantUpdate) {
  const v1::UpdateModerationPolicyRequest request =
      UpdateRequest("fr", {"flag_threshold"},
                    [](v1::ModerationPolicy& p) { p.set_flag_threshold(5); });
  for (const auth::Principal& caller :
       {Member("fr", "m1"), Moderator("fr", "mod-1"), TenantAdmin("it", "a")}) {
    EXPECT_EQ(
        UpdateModerationPolicy(context(), caller, request).status().code(),
        absl::StatusCode::kPermissionDenied)
        << caller.subject;
  }
  EXPECT_EQ(Get(Member("fr", "m1")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(Moderator("it", "mod-it")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(admin_)->flag_threshold(), 3.0);
}

TEST_F(PolicyAdminTest, UpdatesAreAuditedOnceAndIdempotentByRequestId) {
  v1::UpdateModerationPolicyRequest request = UpdateRequest(
      "fr", {"review_sla", "flag_threshold"}, [](v1::ModerationPolicy& p) {
        *p.mutable_review_sla() = TimeUtil::SecondsToDuration(600);
        p.set_flag_threshold(4.5);
      });
  request.set_request_id("0d6f2a8e-policy-1");
  absl::StatusOr<v1::ModerationPolicy> first =
      UpdateModerationPolicy(context(), admin_, request);
  absl::StatusOr<v1::ModerationPolicy> retry =
      UpdateModerationPolicy(context(), admin_, request);
  ASSERT_TRUE(first.ok() && retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), "1");
  EXPECT_EQ(Get(admin_)->etag(), "1") << "the retry changed nothing";

  const std::vector<v1::AuditEntry> entries = AuditEntries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].type(), v1::AUDIT_ENTRY_TYPE_POLICY_CHANGED);
  EXPECT_EQ(entries[0].subject(), "tenants/fr/moderationPolicy");
  EXPECT_EQ(entries[0].actor().name(), "tenants/fr/members/admin-1");
  const nlohmann::json payload = nlohmann::json::parse(entries[0].payload());
  EXPECT_EQ(payload["fields"],
            nlohmann::json::array({"flag_threshold", "review_sla"}));
  EXPECT_EQ(payload["previous_etag"], "0");
  EXPECT_EQ(payload["etag"], "1");
  EXPECT_EQ(payload["values"]["flag_threshold"], 4.5);
  EXPECT_EQ(payload["values"]["review_sla"], "600s");
  EXPECT_FALSE(payload["values"].contains("decision_matrix"));

  absl::StatusOr<v1::AuditVerification> verification;
  SealAudit();
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                verification = VerifyAuditChain(tx, "fr", 1, 0);
                return verification.status();
              }).ok());
  EXPECT_TRUE(verification->valid());
}

}  // namespace
}  // namespace agora::moderation
