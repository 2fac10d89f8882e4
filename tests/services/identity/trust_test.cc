// Trust levels: promotion from ranking's reputation.changed figures against
// the tenant's policy, demotion by moderators and its hold, the policy's
// administration, and titles from title.awarded, on real PostgreSQL.
#include "services/identity/domain/trust.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agora/events/v1/events.pb.h"
#include "libs/auth/roles.h"
#include "libs/events/typed_event.h"
#include "services/identity/domain/profiles.h"
#include "services/identity/domain/sessions.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

constexpr char kPassword[] = "correct horse battery";

struct Figures {
  int64_t points = 0, posts = 0, accepted = 0, active_days = 0;
};

// Figures that meet each level of QuickPolicy (and no higher one).
constexpr Figures kBasic{10, 1, 0, 1};
constexpr Figures kMember{50, 5, 0, 5};
constexpr Figures kRegular{300, 20, 2, 20};

void SetThreshold(v1::TrustThreshold* t, common::v1::TrustLevel level,
                  const Figures& figures, int64_t age_seconds = 0) {
  t->set_level(level);
  t->set_min_reputation(figures.points);
  t->mutable_min_account_age()->set_seconds(age_seconds);
  t->set_min_published_posts(figures.posts);
  t->set_min_accepted_answers(figures.accepted);
  t->set_min_active_days(figures.active_days);
  t->set_max_recent_removals(1);
}

// A policy without account-age requirements, so that members inserted now
// can be promoted at once.
v1::TrustPolicy QuickPolicy(const std::string& tenant) {
  v1::TrustPolicy policy;
  policy.set_name(absl::StrCat("tenants/", tenant, "/trustPolicy"));
  SetThreshold(policy.add_thresholds(), common::v1::TRUST_LEVEL_BASIC, kBasic);
  SetThreshold(policy.add_thresholds(), common::v1::TRUST_LEVEL_MEMBER,
               kMember);
  SetThreshold(policy.add_thresholds(), common::v1::TRUST_LEVEL_REGULAR,
               kRegular);
  SetThreshold(policy.add_thresholds(), common::v1::TRUST_LEVEL_LEADER,
               {2000, 100, 20, 60});
  policy.mutable_demotion_hold()->set_seconds(30 * 86400);
  return policy;
}

class TrustTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure()) return;
    context_->now = [this] { return clock_; };
    admin_ =
        TenantAdmin("fr", InsertMember("fr", "admin@example.fr", kPassword,
                                       "Admin Fr", {auth::kRoleTenantAdmin}));
    moderator_ =
        Moderator("fr", InsertMember("fr", "modo@example.fr", kPassword,
                                     "Modo Fr", {auth::kRoleModerator}));
    alice_id_ = InsertMember("fr", "alice@example.fr", kPassword, "Alice");
    alice_ = absl::StrCat("tenants/fr/members/", alice_id_);
    // After the inserts: accounts are never younger than zero.
    clock_ = absl::Now();
  }

  absl::StatusOr<v1::TrustPolicy> UpdatePolicy(
      const auth::Principal& caller, const v1::TrustPolicy& policy,
      std::vector<std::string> paths = {"*"}) {
    v1::UpdateTrustPolicyRequest request;
    *request.mutable_trust_policy() = policy;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return UpdateTrustPolicy(context(), caller, request);
  }

  void UseQuickPolicy() {
    absl::StatusOr<v1::TrustPolicy> updated =
        UpdatePolicy(admin_, QuickPolicy("fr"));
    ASSERT_TRUE(updated.ok()) << updated.status();
  }

  v1::TrustPolicy Policy(const std::string& tenant = "fr") {
    v1::GetTrustPolicyRequest request;
    request.set_name(absl::StrCat("tenants/", tenant, "/trustPolicy"));
    absl::StatusOr<v1::TrustPolicy> policy = GetTrustPolicy(
        context(), tenant == "fr" ? admin_ : PlatformAdmin(admin_.subject),
        request);
    EXPECT_TRUE(policy.ok()) << policy.status();
    return policy.value_or(v1::TrustPolicy());
  }

  events::v1::Event Reputation(const std::string& member,
                               const Figures& figures) {
    common::v1::Actor system;
    system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
    events::v1::Event event = events::NewEvent(events::v1::PRODUCER_RANKING,
                                               "fr", system, member, clock_);
    events::v1::ReputationChanged* changed = event.mutable_reputation_changed();
    changed->set_member(member);
    changed->set_delta(1);
    changed->set_points(figures.points);
    changed->set_published_posts(figures.posts);
    changed->set_accepted_answers(figures.accepted);
    changed->set_active_days(figures.active_days);
    return event;
  }

  // Applies `event` as the consumer does: in a transaction of its own.
  void Apply(const events::v1::Event& event) {
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  return event.has_title_awarded()
                             ? ApplyTitleAwarded(context(), tx, event)
                             : ApplyReputationChanged(context(), tx, event);
                }).ok());
  }

  // 0 (new) to 4 (leader), as stored.
  std::string StoredLevel(const std::string& id) {
    return Query("SELECT trust_level FROM members WHERE id = $1::uuid", id);
  }

  absl::StatusOr<v1::Member> SetLevel(const auth::Principal& caller,
                                      const std::string& name,
                                      common::v1::TrustLevel level,
                                      const std::string& reason) {
    v1::SetTrustLevelRequest request;
    request.set_name(name);
    request.set_trust_level(level);
    request.set_reason(reason);
    return SetTrustLevel(context(), caller, request);
  }

  std::vector<events::v1::Event> TrustEvents() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  for (const pqxx::row& row :
                       tx.exec("SELECT payload FROM outbox WHERE event_type ="
                               " 'trust_level_changed' ORDER BY id")) {
                    events::v1::Event event;
                    event.ParseFromString(pqxx::binarystring(row[0]).str());
                    events.push_back(event);
                  }
                  return absl::OkStatus();
                }).ok());
    return events;
  }

  absl::Time clock_;
  auth::Principal admin_;
  auth::Principal moderator_;
  std::string alice_id_;
  std::string alice_;
};

TEST_F(TrustTest, FiguresMeetingThresholdsPromoteAndAnnounce) {
  UseQuickPolicy();
  Apply(Reputation(alice_, kMember));
  // Straight to the highest level met, skipping BASIC.
  EXPECT_EQ(StoredLevel(alice_id_), "2");
  EXPECT_EQ(Query("SELECT reputation || '/' || published_posts || '/' ||"
                  " active_days FROM member_activity WHERE member = $1::uuid",
                  alice_id_),
            "50/5/5");
  const std::vector<events::v1::Event> events = TrustEvents();
  ASSERT_EQ(events.size(), 1u);
  const events::v1::TrustLevelChanged& changed =
      events[0].trust_level_changed();
  EXPECT_EQ(changed.member(), alice_);
  EXPECT_EQ(changed.previous_trust_level(), common::v1::TRUST_LEVEL_NEW);
  EXPECT_EQ(changed.trust_level(), common::v1::TRUST_LEVEL_MEMBER);
  EXPECT_TRUE(changed.automatic());
  EXPECT_EQ(events[0].actor().type(), common::v1::ACTOR_TYPE_SYSTEM);
  EXPECT_EQ(events[0].tenant(), "tenants/fr");

  // Higher figures later promote further.
  Apply(Reputation(alice_, kRegular));
  EXPECT_EQ(StoredLevel(alice_id_), "3");
  EXPECT_EQ(TrustEvents().size(), 2u);
}

TEST_F(TrustTest, FiguresBelowAnyThresholdDoNotPromote) {
  UseQuickPolicy();
  // Each figure of MEMBER met but one: the member reaches BASIC only.
  const std::vector<Figures> one_short = {
      {49, 5, 0, 5}, {50, 4, 0, 5}, {50, 5, 0, 4}};
  for (const Figures& figures : one_short) {
    Apply(Reputation(alice_, figures));
    EXPECT_EQ(StoredLevel(alice_id_), "1")
        << figures.points << "/" << figures.posts << "/" << figures.active_days;
  }
  // Figures under BASIC leave a new member new, yet are recorded.
  const std::string bob_id =
      InsertMember("fr", "bob@example.fr", kPassword, "Bob");
  Apply(Reputation(absl::StrCat("tenants/fr/members/", bob_id), {9, 1, 0, 1}));
  EXPECT_EQ(StoredLevel(bob_id), "0");
  EXPECT_EQ(Query("SELECT reputation FROM member_activity WHERE member = "
                  "$1::uuid",
                  bob_id),
            "9");
  EXPECT_EQ(TrustEvents().size(), 1u);  // Alice's promotion to BASIC
}

TEST_F(TrustTest, DefaultPolicyWaitsForTheAccountToAge) {
  // The default policy asks a day of age for BASIC: figures alone are not
  // enough on the day of sign-up.
  Apply(Reputation(alice_, kBasic));
  EXPECT_EQ(StoredLevel(alice_id_), "0");
  clock_ += absl::Hours(25);
  Apply(Reputation(alice_, kBasic));
  EXPECT_EQ(StoredLevel(alice_id_), "1");
}

TEST_F(TrustTest, TheSameEventAppliedTwiceChangesNothingMore) {
  UseQuickPolicy();
  const events::v1::Event event = Reputation(alice_, kMember);
  Apply(event);
  const std::string version =
      Query("SELECT version FROM members WHERE id = $1::uuid", alice_id_);
  // A redelivery (the consumer normally drops it by id): the figures are
  // totals, so applying them again neither promotes nor announces twice.
  Apply(event);
  EXPECT_EQ(StoredLevel(alice_id_), "2");
  EXPECT_EQ(Query("SELECT version FROM members WHERE id = $1::uuid", alice_id_),
            version);
  EXPECT_EQ(TrustEvents().size(), 1u);
}

TEST_F(TrustTest, ReputationNeverDemotes) {
  UseQuickPolicy();
  Apply(Reputation(alice_, kRegular));
  ASSERT_EQ(StoredLevel(alice_id_), "3");
  // Points lost (votes reversed): the level stays.
  Apply(Reputation(alice_, {0, 0, 0, 0}));
  EXPECT_EQ(StoredLevel(alice_id_), "3");
  EXPECT_EQ(TrustEvents().size(), 1u);
}

TEST_F(TrustTest, ModeratorDemotionHoldsPromotionForTheHold) {
  UseQuickPolicy();
  Apply(Reputation(alice_, kMember));
  ASSERT_EQ(StoredLevel(alice_id_), "2");

  absl::StatusOr<v1::Member> demoted =
      SetLevel(moderator_, alice_, common::v1::TRUST_LEVEL_NEW, "spam links");
  ASSERT_TRUE(demoted.ok()) << demoted.status();
  EXPECT_EQ(demoted->trust_level(), common::v1::TRUST_LEVEL_NEW);
  EXPECT_EQ(demoted->trust_hold_until().seconds(),
            absl::ToUnixSeconds(clock_ + absl::Hours(24 * 30)));
  const std::vector<events::v1::Event> events = TrustEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[1].trust_level_changed().automatic());
  EXPECT_EQ(events[1].trust_level_changed().previous_trust_level(),
            common::v1::TRUST_LEVEL_MEMBER);
  EXPECT_EQ(events[1].trust_level_changed().reason(), "spam links");
  EXPECT_EQ(events[1].actor().name(),
            absl::StrCat("tenants/fr/members/", moderator_.subject));

  // Within the hold, even better figures do not undo the demotion.
  clock_ += absl::Hours(24 * 29);
  Apply(Reputation(alice_, kRegular));
  EXPECT_EQ(StoredLevel(alice_id_), "0");
  // Once it has passed, the figures count again.
  clock_ += absl::Hours(24 * 2);
  Apply(Reputation(alice_, kRegular));
  EXPECT_EQ(StoredLevel(alice_id_), "3");
}

TEST_F(TrustTest, ModeratorsOnlyLowerAdminsMayRaise) {
  absl::StatusOr<v1::Member> raised = SetLevel(
      moderator_, alice_, common::v1::TRUST_LEVEL_REGULAR, "helpful answers");
  EXPECT_EQ(raised.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(StoredLevel(alice_id_), "0");

  raised =
      SetLevel(admin_, alice_, common::v1::TRUST_LEVEL_REGULAR, "known expert");
  ASSERT_TRUE(raised.ok()) << raised.status();
  EXPECT_EQ(raised->trust_level(), common::v1::TRUST_LEVEL_REGULAR);
  // Raising by hand sets no hold.
  EXPECT_FALSE(raised->has_trust_hold_until());
}

TEST_F(TrustTest, OnlyModeratorsAndAdminsOfTheTenantSetLevels) {
  ASSERT_TRUE(
      SetLevel(admin_, alice_, common::v1::TRUST_LEVEL_MEMBER, "start").ok());
  const std::string italian_moderator = InsertMember(
      "it", "modo@example.it", kPassword, "Modo It", {auth::kRoleModerator});
  const std::string bob_id =
      InsertMember("fr", "bob@example.fr", kPassword, "Bob");
  for (const auth::Principal& caller :
       {Moderator("it", italian_moderator),
        TenantAdmin("it", italian_moderator), Member("fr", bob_id),
        WithRole(Member("fr", bob_id), auth::kRoleStaff),
        Member("fr", alice_id_)}) {
    EXPECT_EQ(SetLevel(caller, alice_, common::v1::TRUST_LEVEL_NEW, "rogue")
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied)
        << caller.tenant << " " << caller.roles.back();
  }
  EXPECT_EQ(StoredLevel(alice_id_), "2");
  EXPECT_EQ(Query("SELECT count(*) FROM members WHERE trust_hold_until IS NOT "
                  "NULL"),
            "0");
  EXPECT_EQ(TrustEvents().size(), 1u);
}

TEST_F(TrustTest, SetTrustLevelNamesBadInput) {
  struct Case {
    std::string name;
    int level;
    std::string reason;
    std::string field;
  };
  const std::vector<Case> cases = {
      {alice_, common::v1::TRUST_LEVEL_UNSPECIFIED, "why", "trust_level:"},
      {alice_, 6, "why", "trust_level:"},
      {alice_, common::v1::TRUST_LEVEL_NEW, "", "reason:"},
      {alice_, common::v1::TRUST_LEVEL_NEW, std::string(501, 'x'), "reason:"},
      {"tenants/fr/members/alice", common::v1::TRUST_LEVEL_NEW, "why", "name:"},
      {"", common::v1::TRUST_LEVEL_NEW, "why", "name:"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::Member> set = SetLevel(
        admin_, c.name, static_cast<common::v1::TrustLevel>(c.level), c.reason);
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument)
        << c.field;
    EXPECT_THAT(std::string(set.status().message()), StartsWith(c.field));
  }
  EXPECT_TRUE(TrustEvents().empty());
}

TEST_F(TrustTest, TenantAdminUpdatesThePolicyThatPromotionUses) {
  const v1::TrustPolicy before = Policy();
  EXPECT_EQ(before.name(), "tenants/fr/trustPolicy");
  ASSERT_EQ(before.thresholds_size(), 4);
  EXPECT_EQ(before.demotion_hold().seconds(), 30 * 86400);

  v1::TrustPolicy wanted = QuickPolicy("fr");
  wanted.set_etag(before.etag());
  wanted.mutable_demotion_hold()->set_seconds(7 * 86400);
  absl::StatusOr<v1::TrustPolicy> updated =
      UpdatePolicy(admin_, wanted, {"thresholds"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_NE(updated->etag(), before.etag());
  const v1::TrustPolicy after = Policy();
  EXPECT_EQ(after.etag(), updated->etag());
  EXPECT_EQ(after.thresholds(1).min_reputation(), 50);
  EXPECT_EQ(after.thresholds(0).min_account_age().seconds(), 0);
  // Outside the mask: unchanged.
  EXPECT_EQ(after.demotion_hold().seconds(), 30 * 86400);
  // Italy keeps the defaults.
  EXPECT_EQ(Policy("it").thresholds(1).min_reputation(),
            before.thresholds(1).min_reputation());

  // The etag read before the update is stale now.
  absl::StatusOr<v1::TrustPolicy> stale =
      UpdatePolicy(admin_, wanted, {"demotion_hold"});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Policy().demotion_hold().seconds(), 30 * 86400);

  // The new thresholds promote a member of a day's age.
  Apply(Reputation(alice_, kMember));
  EXPECT_EQ(StoredLevel(alice_id_), "2");
}

TEST_F(TrustTest, OnlyTheTenantsAdminsUpdateThePolicy) {
  const std::string italian_admin = InsertMember(
      "it", "admin@example.it", kPassword, "Admin It", {"tenant_admin"});
  const v1::TrustPolicy before = Policy();
  for (const auth::Principal& caller :
       {Member("fr", alice_id_), moderator_, TenantAdmin("it", italian_admin),
        Service("fr", {"identity.read"})}) {
    EXPECT_EQ(UpdatePolicy(caller, QuickPolicy("fr")).status().code(),
              absl::StatusCode::kPermissionDenied)
        << caller.tenant << " " << caller.roles.back();
  }
  EXPECT_EQ(Policy().etag(), before.etag());
  EXPECT_EQ(Query("SELECT count(*) FROM trust_policies"), "0");
}

TEST_F(TrustTest, InvalidPoliciesAreRefusedNamingTheField) {
  struct Case {
    std::string label;
    std::function<void(v1::TrustPolicy&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"MEMBER needs fewer points than BASIC",
       [](v1::TrustPolicy& p) {
         p.mutable_thresholds(1)->set_min_reputation(5);
       },
       "trust_policy.thresholds[1]:"},
      {"LEADER needs fewer active days than REGULAR",
       [](v1::TrustPolicy& p) {
         p.mutable_thresholds(3)->set_min_active_days(10);
       },
       "trust_policy.thresholds[3]:"},
      {"REGULAR younger than MEMBER",
       [](v1::TrustPolicy& p) {
         p.mutable_thresholds(1)->mutable_min_account_age()->set_seconds(86400);
       },
       "trust_policy.thresholds[2]:"},
      {"three levels",
       [](v1::TrustPolicy& p) { p.mutable_thresholds()->RemoveLast(); },
       "trust_policy.thresholds:"},
      {"levels out of order",
       [](v1::TrustPolicy& p) {
         p.mutable_thresholds(1)->set_level(common::v1::TRUST_LEVEL_LEADER);
       },
       "trust_policy.thresholds[1].level:"},
      {"negative points",
       [](v1::TrustPolicy& p) {
         p.mutable_thresholds(0)->set_min_reputation(-1);
       },
       "trust_policy.thresholds[0]:"},
      {"hold over a year",
       [](v1::TrustPolicy& p) {
         p.mutable_demotion_hold()->set_seconds(int64_t{366} * 86400);
       },
       "trust_policy.demotion_hold:"},
      {"wrong name",
       [](v1::TrustPolicy& p) { p.set_name("tenants/fr/policy"); },
       "trust_policy.name:"},
  };
  for (const Case& c : cases) {
    v1::TrustPolicy policy = QuickPolicy("fr");
    c.change(policy);
    absl::StatusOr<v1::TrustPolicy> updated = UpdatePolicy(admin_, policy);
    EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument)
        << c.label;
    EXPECT_THAT(std::string(updated.status().message()), StartsWith(c.field))
        << c.label;
  }
  absl::StatusOr<v1::TrustPolicy> no_mask =
      UpdatePolicy(admin_, QuickPolicy("fr"), {});
  EXPECT_THAT(std::string(no_mask.status().message()),
              StartsWith("update_mask:"));
  EXPECT_EQ(Query("SELECT count(*) FROM trust_policies"), "0");
}

TEST_F(TrustTest, PromotedLevelTravelsInTheAccessToken) {
  UseQuickPolicy();
  Apply(Reputation(alice_, kRegular));
  v1::LoginRequest login;
  login.set_tenant("tenants/fr");
  login.set_email("alice@example.fr");
  login.set_password(kPassword);
  absl::StatusOr<v1::Session> session =
      Login(context(), nullptr, CallInfo{"203.0.113.10"}, login);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<auth::Claims> claims =
      verifier().Verify(session->access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->trust_level, auth::kTrustLevelRegular);
}

TEST_F(TrustTest, AwardedTitleShowsOnTheProfileOnce) {
  common::v1::Actor system;
  system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  events::v1::Event event = events::NewEvent(events::v1::PRODUCER_RANKING, "fr",
                                             system, alice_, clock_);
  event.mutable_title_awarded()->set_member(alice_);
  common::v1::AwardedTitle* title =
      event.mutable_title_awarded()->mutable_title();
  title->set_title("tenants/fr/titles/respected-contributor");
  Apply(event);
  // Redelivered, or announced again by ranking: still one title.
  event.set_id(events::NewEventId());
  Apply(event);

  v1::GetProfileRequest request;
  request.set_name(alice_ + "/profile");
  absl::StatusOr<v1::Profile> profile =
      GetProfile(context(), nullptr, CallInfo{}, request);
  ASSERT_TRUE(profile.ok()) << profile.status();
  ASSERT_EQ(profile->titles_size(), 1);
  EXPECT_EQ(profile->titles(0).title(),
            "tenants/fr/titles/respected-contributor");
  // Without an award time in the event, the time it was applied.
  EXPECT_EQ(profile->titles(0).award_time().seconds(),
            absl::ToUnixSeconds(clock_));
}

TEST_F(TrustTest, ErasedMembersGetNoFiguresOrLevels) {
  UseQuickPolicy();
  // ranking may announce figures before it has handled member.erased.
  Exec(
      "UPDATE members SET state = 4, email = NULL, email_key = NULL"
      " WHERE id = $1::uuid",
      alice_id_);
  Apply(Reputation(alice_, kRegular));
  EXPECT_EQ(StoredLevel(alice_id_), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM member_activity"), "0");
  // Nor does anyone set the level of the anonymous shell.
  EXPECT_EQ(SetLevel(admin_, alice_, common::v1::TRUST_LEVEL_LEADER, "late")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StoredLevel(alice_id_), "0");
  EXPECT_TRUE(TrustEvents().empty());
}

}  // namespace
}  // namespace agora::identity
