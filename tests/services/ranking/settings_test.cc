// Vote settings and formula parameters: defaults, partial updates by
// update_mask, etags, validation naming the field, tenant admins only, and
// their effect on votes and boards.
#include "libs/status/error_details.h"
#include "services/ranking/domain/settings_admin.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

class SettingsTest : public RankingTest {
 protected:
  auth::Principal Admin(const std::string& tenant = "fr") {
    return WithRole(Member(tenant, "admin"), auth::kRoleTenantAdmin);
  }

  v1::UpdateVoteSettingsRequest VoteUpdate(const v1::VoteSettings& settings,
                                           std::vector<std::string> paths) {
    v1::UpdateVoteSettingsRequest request;
    *request.mutable_vote_settings() = settings;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return request;
  }

  v1::VoteSettings Current() {
    v1::GetVoteSettingsRequest request;
    request.set_name("tenants/fr/voteSettings");
    absl::StatusOr<v1::VoteSettings> settings =
        GetVoteSettings(*context_, nullptr, request);
    EXPECT_TRUE(settings.ok()) << settings.status();
    return settings.ok() ? *settings : v1::VoteSettings{};
  }
};

TEST_F(SettingsTest, DefaultsAreShownWithAnEtag) {
  const v1::VoteSettings settings = Current();
  EXPECT_EQ(settings.name(), "tenants/fr/voteSettings");
  EXPECT_EQ(settings.max_votes_per_minute(), 30);
  EXPECT_EQ(settings.max_votes_per_day(), 500);
  EXPECT_EQ(settings.min_account_age().seconds(), 24 * 3600);
  EXPECT_EQ(settings.serial_voting_threshold(), 10);
  EXPECT_FALSE(settings.etag().empty());

  v1::GetRankingParametersRequest request;
  request.set_name("tenants/fr/rankingParameters");
  absl::StatusOr<v1::RankingParameters> parameters =
      GetRankingParameters(*context_, nullptr, request);
  ASSERT_TRUE(parameters.ok()) << parameters.status();
  EXPECT_EQ(parameters->hot_gravity_seconds(), 45000);
  EXPECT_EQ(parameters->hot_epoch().seconds(), 1134028003);
  EXPECT_DOUBLE_EQ(parameters->best_confidence(), 0.95);
  EXPECT_EQ(parameters->controversial_min_votes(), 10);
  EXPECT_EQ(parameters->contribution_weights_size(), 6);
}

TEST_F(SettingsTest, MaskedFieldsChangeAndOthersStay) {
  v1::VoteSettings change = Current();
  change.set_max_votes_per_minute(5);
  change.set_max_votes_per_day(7);  // not in the mask: must not change
  absl::StatusOr<v1::VoteSettings> updated = UpdateVoteSettings(
      *context_, Admin(), VoteUpdate(change, {"max_votes_per_minute"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->max_votes_per_minute(), 5);
  EXPECT_EQ(updated->max_votes_per_day(), 500);
  EXPECT_NE(updated->etag(), change.etag());
  EXPECT_EQ(Current().max_votes_per_minute(), 5);
}

TEST_F(SettingsTest, StaleEtagIsRefused) {
  const v1::VoteSettings before = Current();
  v1::VoteSettings first = before;
  first.set_max_votes_per_minute(10);
  ASSERT_TRUE(UpdateVoteSettings(*context_, Admin(),
                                 VoteUpdate(first, {"max_votes_per_minute"}))
                  .ok());
  v1::VoteSettings second = before;  // still the old etag
  second.set_max_votes_per_minute(20);
  absl::StatusOr<v1::VoteSettings> stale = UpdateVoteSettings(
      *context_, Admin(), VoteUpdate(second, {"max_votes_per_minute"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");
  EXPECT_EQ(Current().max_votes_per_minute(), 10);
}

TEST_F(SettingsTest, BadValuesNameTheField) {
  struct Case {
    std::function<void(v1::VoteSettings&)> change;
    std::string path;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](v1::VoteSettings& s) { s.set_max_votes_per_minute(0); },
       "max_votes_per_minute", "vote_settings.max_votes_per_minute"},
      {[](v1::VoteSettings& s) { s.set_max_votes_per_day(100001); },
       "max_votes_per_day", "vote_settings.max_votes_per_day"},
      {[](v1::VoteSettings& s) {
         s.mutable_min_account_age()->set_seconds(91 * 24 * 3600);
       },
       "min_account_age", "vote_settings.min_account_age"},
      {[](v1::VoteSettings& s) { s.set_serial_voting_threshold(2); },
       "serial_voting_threshold", "vote_settings.serial_voting_threshold"},
      {[](v1::VoteSettings& s) {
         s.mutable_serial_voting_window()->set_seconds(10);
       },
       "serial_voting_window", "vote_settings.serial_voting_window"},
      {[](v1::VoteSettings& s) {
         v1::KindVoteSettings* kind = s.add_kinds();
         kind->set_kind(common::v1::CONTENT_KIND_IDEA);
       },
       "kinds", "vote_settings.kinds[0].mode"},
  };
  for (const Case& bad : cases) {
    v1::VoteSettings change = Current();
    bad.change(change);
    absl::StatusOr<v1::VoteSettings> updated =
        UpdateVoteSettings(*context_, Admin(), VoteUpdate(change, {bad.path}));
    EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument)
        << bad.field;
    EXPECT_NE(updated.status().message().find(bad.field), std::string::npos)
        << updated.status();
  }
  v1::VoteSettings change = Current();
  EXPECT_NE(UpdateVoteSettings(*context_, Admin(), VoteUpdate(change, {}))
                .status()
                .message()
                .find("update_mask"),
            std::string::npos);
  EXPECT_NE(UpdateVoteSettings(*context_, Admin(), VoteUpdate(change, {"etag"}))
                .status()
                .message()
                .find("update_mask"),
            std::string::npos);
}

TEST_F(SettingsTest, OnlyTheTenantsAdminsChangeSettings) {
  v1::VoteSettings change = Current();
  change.set_max_votes_per_minute(3);
  const auto request = VoteUpdate(change, {"max_votes_per_minute"});
  EXPECT_EQ(UpdateVoteSettings(*context_, Member("fr", "ana"), request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(UpdateVoteSettings(
                *context_, WithRole(Member("fr", "mod"), auth::kRoleModerator),
                request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(UpdateVoteSettings(*context_, Admin("it"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Current().max_votes_per_minute(), 30);
}

TEST_F(SettingsTest, KindModeDecidesWhichVotesAPostTakes) {
  AnnounceMember("fr", "author");
  AnnounceMember("fr", "ana");
  Publish({.id = "idea1"});
  v1::VoteSettings change = Current();
  v1::KindVoteSettings* kind = change.add_kinds();
  kind->set_kind(common::v1::CONTENT_KIND_IDEA);
  kind->set_mode(common::v1::EVALUATION_MODE_LIKE);
  rebuilds_requested_.clear();
  ASSERT_TRUE(
      UpdateVoteSettings(*context_, Admin(), VoteUpdate(change, {"kinds"}))
          .ok());
  // Modes decide which votes count: the service recounts the tenant.
  EXPECT_EQ(rebuilds_requested_, std::vector<std::string>{"fr"});
  ASSERT_TRUE(RebuildTenant(*context_, "fr").ok());
  EXPECT_EQ(Cast(Member("fr", "ana"), "fr", "idea1", common::v1::VOTE_CHOICE_UP)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::CastVoteResponse> like =
      Cast(Member("fr", "ana"), "fr", "idea1", common::v1::VOTE_CHOICE_LIKE);
  ASSERT_TRUE(like.ok()) << like.status();
  EXPECT_EQ(like->tally().mode(), common::v1::EVALUATION_MODE_LIKE);
}

TEST_F(SettingsTest, ParameterChangesAreValidatedAndRescoreTheBoards) {
  v1::GetRankingParametersRequest get;
  get.set_name("tenants/fr/rankingParameters");
  v1::RankingParameters change =
      GetRankingParameters(*context_, nullptr, get).value();
  change.set_hot_gravity_seconds(100);
  v1::UpdateRankingParametersRequest request;
  *request.mutable_ranking_parameters() = change;
  request.mutable_update_mask()->add_paths("hot_gravity_seconds");
  absl::StatusOr<v1::RankingParameters> bad = UpdateRankingParameters(
      *context_, WithRole(Member("fr", "admin"), auth::kRoleTenantAdmin),
      request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      bad.status().message().find("ranking_parameters.hot_gravity_seconds"),
      std::string::npos);

  request.mutable_ranking_parameters()->set_hot_gravity_seconds(90000);
  rebuilds_requested_.clear();
  absl::StatusOr<v1::RankingParameters> updated = UpdateRankingParameters(
      *context_, WithRole(Member("fr", "admin"), auth::kRoleTenantAdmin),
      request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->hot_gravity_seconds(), 90000);
  EXPECT_EQ(rebuilds_requested_, std::vector<std::string>{"fr"});
  EXPECT_EQ(context_->settings.FormulaParameters("fr").hot_gravity_seconds,
            90000);
}

}  // namespace
}  // namespace agora::ranking
