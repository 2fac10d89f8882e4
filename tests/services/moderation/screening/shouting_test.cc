// Shouting: capitals over the tenant's ratio on texts of 20+ letters, and
// runs of "!" and "?".
#include <string>

#include "gtest/gtest.h"
#include "tests/services/moderation/screening/screening_fixtures.h"

namespace agora::moderation::screening {
namespace {

std::vector<std::string> ShoutingRules(const CompiledTenantRules& rules,
                                       const std::string& text) {
  std::vector<std::string> found;
  for (const Finding& finding : testing::FindingsOfType(
           testing::ScreenBody(rules, text), FindingType::kShouting)) {
    found.push_back(finding.rule);
  }
  return found;
}

TEST(ShoutingTest, CapitalsAboveTheRatio) {
  const auto rules = testing::MustCompile(testing::BankTenantConfig());
  EXPECT_EQ(ShoutingRules(*rules, "VOTRE BANQUE EST NULLE, JE VEUX PARTIR"),
            std::vector<std::string>{"builtin/shouting/uppercase"});
  // Accented and non-Latin capitals count.
  EXPECT_EQ(ShoutingRules(*rules, "ÇA NE MARCHE PAS DEPUIS ÉTÉ DERNIER").size(),
            1u);
  EXPECT_EQ(ShoutingRules(*rules, "ЭТО НЕ РАБОТАЕТ УЖЕ ТРИ НЕДЕЛИ").size(), 1u);
  // Under 20 letters: a short exclamation or acronyms.
  EXPECT_TRUE(ShoutingRules(*rules, "MERCI BEAUCOUP !").empty());
  // Normal text with acronyms.
  EXPECT_TRUE(
      ShoutingRules(*rules, "Le PEL et le CEL de la BNP, quel TAEG ?").empty());
  // Scripts without case do not dilute or trigger.
  EXPECT_TRUE(
      ShoutingRules(*rules, "这是一个很长的中文句子没有大小写字母的区别呢")
          .empty());
}

TEST(ShoutingTest, TheRatioIsTheTenants) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.shouting_uppercase_ratio = 0.95;
  const auto lenient = testing::MustCompile(config);
  const std::string text = "VOTRE BANQUE EST NULLE, je veux partir";
  EXPECT_TRUE(ShoutingRules(*lenient, text).empty());
  const auto strict = testing::MustCompile(testing::BankTenantConfig());
  EXPECT_EQ(ShoutingRules(*strict, text).size(), 0u);  // 19/30 capitals
  EXPECT_EQ(
      ShoutingRules(*strict, "VOTRE BANQUE EST NULLE, JE veux partir").size(),
      0u);  // 21/30 = 0.70, not above
  EXPECT_EQ(
      ShoutingRules(*strict, "VOTRE BANQUE EST NULLE, JE VEux partir").size(),
      1u);  // 23/30
}

TEST(ShoutingTest, RepeatedPunctuation) {
  const auto rules = testing::MustCompile(testing::BankTenantConfig());
  const ScreeningResult result =
      testing::ScreenBody(*rules, "Pourquoi ??? Encore !!! Et ?!?! Ok !! ?");
  const std::vector<Finding> found =
      testing::FindingsOfType(result, FindingType::kShouting);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].start, 9);
  EXPECT_EQ(found[0].length, 3);
  EXPECT_EQ(found[2].length, 4);
  EXPECT_EQ(found[0].rule, "builtin/shouting/punctuation");
  EXPECT_EQ(result.risk_score, 10);
  // Full-width marks fold to ASCII ones.
  EXPECT_EQ(ShoutingRules(*rules, "Quoi！！！").size(), 1u);
}

}  // namespace
}  // namespace agora::moderation::screening
