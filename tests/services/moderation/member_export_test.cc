// ExportMemberData: a member's own flags and appeals, nobody else's.
#include "services/moderation/domain/member_export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

class MemberExportTest : public ModerationTest {
 protected:
  void Sql(const std::string& statement) {
    pqxx::connection connection(database_url());
    pqxx::work tx(connection);
    tx.exec(statement);
    tx.commit();
  }

  void FlagBy(const std::string& tenant, const std::string& member,
              const std::string& post, const std::string& comment) {
    Sql(absl::StrCat(
        "INSERT INTO flags (tenant, id, target_name, target_kind, reporter,"
        " reason, comment, weight, state) VALUES ('",
        tenant, "', gen_random_uuid(), 'tenants/", tenant, "/posts/", post,
        "', 2, 'tenants/", tenant, "/members/", member, "', ",
        static_cast<int>(v1::FLAG_REASON_SPAM), ", '", comment, "', 0.8, ",
        static_cast<int>(v1::Flag::STATE_OPEN), ")"));
  }

  void AppealBy(const std::string& tenant, const std::string& member,
                const std::string& post, const std::string& statement) {
    Sql(absl::StrCat(
        "INSERT INTO appeals (tenant, id, decision_id, target_name,"
        " target_kind, appellant, statement, state, first_moderator,"
        " outcome_note, decided_by, decide_time) VALUES ('",
        tenant, "', gen_random_uuid(), gen_random_uuid(), 'tenants/", tenant,
        "/posts/", post, "', 2, 'tenants/", tenant, "/members/", member, "', '",
        statement, "', ", static_cast<int>(v1::Appeal::STATE_UPHELD),
        ", 'tenants/", tenant,
        "/members/mod-1', 'Decision stands',"
        " 'tenants/",
        tenant, "/members/mod-2', now())"));
  }

  absl::StatusOr<v1::MemberModerationData> Export(
      const std::string& name, const auth::Principal& caller) {
    v1::ExportMemberDataRequest request;
    request.set_name(name);
    return ExportMemberData(context(), caller, request);
  }

  void SetUp() override {
    ModerationTest::SetUp();
    FlagBy("fr", "m1", "p1", "spam de m1");
    FlagBy("fr", "m1", "p2", "");
    FlagBy("fr", "m2", "p1", "flag de m2");
    FlagBy("it", "m1", "p9", "flag italien");
    AppealBy("fr", "m1", "p3", "appel de m1");
    AppealBy("fr", "m2", "p4", "appel de m2");
    AppealBy("it", "m1", "p5", "appello");
  }
};

TEST_F(MemberExportTest, MemberGetsOnlyTheirOwnFlagsAndAppeals) {
  for (const char* name : {"tenants/fr/members/me", "tenants/fr/members/m1"}) {
    absl::StatusOr<v1::MemberModerationData> data =
        Export(name, Member("fr", "m1"));
    ASSERT_TRUE(data.ok()) << data.status();
    EXPECT_EQ(data->member(), "tenants/fr/members/m1");
    ASSERT_EQ(data->flags_size(), 2);
    for (const v1::Flag& flag : data->flags()) {
      EXPECT_EQ(flag.reporter(), "tenants/fr/members/m1");
      EXPECT_TRUE(absl::StartsWith(flag.name(), "tenants/fr/flags/"));
      EXPECT_EQ(flag.reason(), v1::FLAG_REASON_SPAM);
      EXPECT_EQ(flag.weight(), 0) << "moderators only";
    }
    EXPECT_EQ(data->flags(0).target().name(), "tenants/fr/posts/p1");
    EXPECT_EQ(data->flags(0).comment(), "spam de m1");
    ASSERT_EQ(data->appeals_size(), 1);
    const v1::Appeal& appeal = data->appeals(0);
    EXPECT_EQ(appeal.appellant(), "tenants/fr/members/m1");
    EXPECT_EQ(appeal.statement(), "appel de m1");
    EXPECT_EQ(appeal.state(), v1::Appeal::STATE_UPHELD);
    EXPECT_EQ(appeal.outcome_note(), "Decision stands");
    EXPECT_FALSE(appeal.has_decided_by()) << "staff data";
    EXPECT_TRUE(data->has_export_time());
    // Nothing of m2 or of the Italian m1.
    const std::string everything = data->DebugString();
    EXPECT_FALSE(absl::StrContains(everything, "m2")) << everything;
    EXPECT_FALSE(absl::StrContains(everything, "italien"));
    EXPECT_FALSE(absl::StrContains(everything, "appello"));
  }
}

TEST_F(MemberExportTest, TenantAdminsExportAnyMemberOfTheirTenant) {
  absl::StatusOr<v1::MemberModerationData> data =
      Export("tenants/fr/members/m2", TenantAdmin("fr", "admin-1"));
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->member(), "tenants/fr/members/m2");
  ASSERT_EQ(data->flags_size(), 1);
  EXPECT_EQ(data->flags(0).comment(), "flag de m2");
  EXPECT_DOUBLE_EQ(data->flags(0).weight(), 0.8);
  ASSERT_EQ(data->appeals_size(), 1);
  EXPECT_EQ(data->appeals(0).decided_by().name(), "tenants/fr/members/mod-2");

  absl::StatusOr<v1::MemberModerationData> nothing =
      Export("tenants/fr/members/m3", TenantAdmin("fr", "admin-1"));
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->flags_size(), 0);
  EXPECT_EQ(nothing->appeals_size(), 0);
}

TEST_F(MemberExportTest, NobodyElseExportsAMember) {
  for (const auth::Principal& caller :
       {Member("fr", "m2"), Moderator("fr", "mod-1"), TenantAdmin("it", "a"),
        Member("it", "m1"), ContentService("fr")}) {
    EXPECT_EQ(Export("tenants/fr/members/m1", caller).status().code(),
              absl::StatusCode::kPermissionDenied)
        << caller.tenant << "/" << caller.subject;
  }
  // "me" in another tenant is not a way in either.
  EXPECT_EQ(Export("tenants/fr/members/me", Member("it", "m1")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Export("tenants/fr/flags/m1", Member("fr", "m1")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agora::moderation
