// Every path of Decide: trust level × risk, BLOCK, HOLD, space modes, and
// the reasons the author is told.
#include "services/moderation/screening/decision.h"

#include "gtest/gtest.h"
#include "services/moderation/screening/risk_weights.h"

namespace agora::moderation::screening {
namespace {

ScreeningResult WithRisk(int risk) {
  ScreeningResult result;
  result.risk_score = risk;
  return result;
}

Finding Found(FindingType type, int risk) {
  Finding finding;
  finding.type = type;
  finding.field = "body";
  finding.rule = "r";
  finding.risk = risk;
  return finding;
}

TEST(DecisionTest, EveryTrustLevelAtEveryThreshold) {
  const DecisionMatrix matrix = DefaultDecisionMatrix();
  struct Case {
    int trust_level;
    int risk;
    Verdict verdict;
  };
  const Case cases[] = {
      // NEW 10 / 30 / 100
      {1, 0, Verdict::kPublish},
      {1, 9, Verdict::kPublish},
      {1, 10, Verdict::kPublishThenReview},
      {1, 29, Verdict::kPublishThenReview},
      {1, 30, Verdict::kHold},
      {1, 99, Verdict::kHold},
      {1, 100, Verdict::kReject},
      // BASIC 15 / 40 / 100
      {2, 14, Verdict::kPublish},
      {2, 15, Verdict::kPublishThenReview},
      {2, 40, Verdict::kHold},
      {2, 100, Verdict::kReject},
      // MEMBER 25 / 55 / 101
      {3, 24, Verdict::kPublish},
      {3, 25, Verdict::kPublishThenReview},
      {3, 55, Verdict::kHold},
      {3, 100, Verdict::kHold},
      // REGULAR 35 / 70 / 101
      {4, 34, Verdict::kPublish},
      {4, 69, Verdict::kPublishThenReview},
      {4, 70, Verdict::kHold},
      // LEADER 50 / 80 / 101
      {5, 49, Verdict::kPublish},
      {5, 79, Verdict::kPublishThenReview},
      {5, 80, Verdict::kHold},
      {5, 100, Verdict::kHold},
      // Unknown levels are NEW.
      {0, 10, Verdict::kPublishThenReview},
      {9, 100, Verdict::kReject},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(
        Decide(c.trust_level, WithRisk(c.risk), matrix, SpaceMode::kAutomatic)
            .verdict,
        c.verdict)
        << "trust " << c.trust_level << " risk " << c.risk;
  }
}

TEST(DecisionTest, WhatTheDefaultWeightsMean) {
  const DecisionMatrix matrix = DefaultDecisionMatrix();
  auto verdict = [&](int trust, int risk) {
    return Decide(trust, WithRisk(risk), matrix, SpaceMode::kAutomatic).verdict;
  };
  // A masked e-mail address publishes even for NEW members; a masked card
  // number is reviewed after publication for them, published for MEMBERs.
  EXPECT_EQ(verdict(1, kEmailAddressRisk), Verdict::kPublish);
  EXPECT_EQ(verdict(1, kCardNumberRisk), Verdict::kPublishThenReview);
  EXPECT_EQ(verdict(3, kCardNumberRisk), Verdict::kPublish);
  // A credential request is held up to REGULAR, reviewed for LEADERs.
  for (int trust = 1; trust <= 4; ++trust) {
    EXPECT_EQ(verdict(trust, kCredentialRequestRisk), Verdict::kHold);
  }
  EXPECT_EQ(verdict(5, kCredentialRequestRisk), Verdict::kPublishThenReview);
  // A look-alike link is held for everyone.
  for (int trust = 1; trust <= 5; ++trust) {
    EXPECT_EQ(verdict(trust, kLookalikeDomainRisk), Verdict::kHold);
  }
  // Both together reject NEW and BASIC members.
  EXPECT_EQ(verdict(1, 100), Verdict::kReject);
  EXPECT_EQ(verdict(3, 100), Verdict::kHold);
}

TEST(DecisionTest, BlockRejectsWhateverTheRiskOrSpace) {
  ScreeningResult result = WithRisk(0);
  result.block_required = true;
  result.findings = {Found(FindingType::kBlockedTerm, 100)};
  for (SpaceMode mode : {SpaceMode::kAutomatic, SpaceMode::kPostModeration,
                         SpaceMode::kPreModeration}) {
    const Decision decision = Decide(5, result, DefaultDecisionMatrix(), mode);
    EXPECT_EQ(decision.verdict, Verdict::kReject);
    EXPECT_EQ(decision.reasons,
              std::vector<ReasonCode>{ReasonCode::kBlockedTerm});
  }
}

TEST(DecisionTest, HoldRulesHoldAtLeast) {
  ScreeningResult result = WithRisk(kHoldRuleRisk);
  result.hold_required = true;
  result.findings = {Found(FindingType::kWatchedTerm, kHoldRuleRisk)};
  EXPECT_EQ(
      Decide(5, result, DefaultDecisionMatrix(), SpaceMode::kAutomatic).verdict,
      Verdict::kHold);
  // But never lower a rejection.
  result.risk_score = 100;
  EXPECT_EQ(
      Decide(1, result, DefaultDecisionMatrix(), SpaceMode::kAutomatic).verdict,
      Verdict::kReject);
}

TEST(DecisionTest, SpaceModesRaiseTheVerdict) {
  const DecisionMatrix matrix = DefaultDecisionMatrix();
  EXPECT_EQ(Decide(5, WithRisk(0), matrix, SpaceMode::kPostModeration).verdict,
            Verdict::kPublishThenReview);
  EXPECT_EQ(Decide(5, WithRisk(0), matrix, SpaceMode::kPreModeration).verdict,
            Verdict::kHold);
  EXPECT_EQ(Decide(1, WithRisk(50), matrix, SpaceMode::kPostModeration).verdict,
            Verdict::kHold);
  EXPECT_EQ(Decide(1, WithRisk(100), matrix, SpaceMode::kPreModeration).verdict,
            Verdict::kReject);
  const Decision decision =
      Decide(5, WithRisk(0), matrix, SpaceMode::kPreModeration);
  EXPECT_EQ(decision.reasons,
            std::vector<ReasonCode>{ReasonCode::kSpacePolicy});
}

TEST(DecisionTest, ReasonsIncludeLowTrustWhenTrustMadeTheDifference) {
  ScreeningResult result = WithRisk(kCardNumberRisk + kLinkPolicyRisk);
  result.findings = {Found(FindingType::kCardNumber, kCardNumberRisk),
                     Found(FindingType::kIban, 0),
                     Found(FindingType::kLinkPolicy, kLinkPolicyRisk)};
  Decision decision =
      Decide(1, result, DefaultDecisionMatrix(), SpaceMode::kAutomatic);
  EXPECT_EQ(decision.verdict, Verdict::kHold);
  EXPECT_EQ(decision.reasons,
            (std::vector<ReasonCode>{ReasonCode::kPersonalDataMasked,
                                     ReasonCode::kLinkPolicy,
                                     ReasonCode::kLowTrust}));
  decision = Decide(5, result, DefaultDecisionMatrix(), SpaceMode::kAutomatic);
  EXPECT_EQ(decision.verdict, Verdict::kPublish);
  EXPECT_EQ(decision.reasons,
            (std::vector<ReasonCode>{ReasonCode::kPersonalDataMasked,
                                     ReasonCode::kLinkPolicy}));
}

TEST(DecisionTest, ServiceFindingsCountAndGiveTheirReasons) {
  ScreeningResult result;
  result.findings = {Found(FindingType::kDuplicate, kDuplicateRisk),
                     Found(FindingType::kVelocity, kVelocityRisk)};
  result.risk_score = CountRiskOncePerRule(&result.findings);
  EXPECT_EQ(result.risk_score, 70);
  const Decision decision =
      Decide(3, result, DefaultDecisionMatrix(), SpaceMode::kAutomatic);
  EXPECT_EQ(decision.verdict, Verdict::kHold);
  EXPECT_EQ(decision.reasons, (std::vector<ReasonCode>{ReasonCode::kDuplicate,
                                                       ReasonCode::kVelocity,
                                                       ReasonCode::kLowTrust}));
}

TEST(DecisionTest, MatrixValidation) {
  EXPECT_TRUE(ValidateDecisionMatrix(DefaultDecisionMatrix()).ok());
  DecisionMatrix matrix = DefaultDecisionMatrix();
  matrix.thresholds[2].review_below = 10;
  EXPECT_EQ(std::string(ValidateDecisionMatrix(matrix).message()),
            "thresholds[2].review_below: below publish_below");
  matrix = DefaultDecisionMatrix();
  matrix.thresholds[4].hold_below = 102;
  EXPECT_EQ(std::string(ValidateDecisionMatrix(matrix).message()),
            "thresholds[4].hold_below: must be 0-101");
  matrix = DefaultDecisionMatrix();
  matrix.thresholds[0].hold_below = 20;
  EXPECT_EQ(std::string(ValidateDecisionMatrix(matrix).message()),
            "thresholds[0].hold_below: below review_below");
}

TEST(ReasonCodesTest, EveryFindingTypeHasAReason) {
  EXPECT_EQ(ReasonFor(FindingType::kNationalIdPlPesel),
            ReasonCode::kPersonalDataMasked);
  EXPECT_EQ(ReasonFor(FindingType::kCredentialRequest),
            ReasonCode::kCredentialRequest);
  EXPECT_EQ(ReasonFor(FindingType::kLookalikeDomain),
            ReasonCode::kLookalikeDomain);
  EXPECT_EQ(ReasonFor(FindingType::kStaffImpersonation),
            ReasonCode::kStaffImpersonation);
  EXPECT_EQ(ReasonFor(FindingType::kShouting), ReasonCode::kShouting);
  EXPECT_EQ(ReasonCodeName(ReasonCode::kLowTrust), "low-trust");
}

}  // namespace
}  // namespace agora::moderation::screening
