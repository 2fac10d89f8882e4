// Tenant rules: blocked and watched words (whole words on folded text, so
// case, accents and look-alike letters do not hide them), RE2 patterns,
// language and space filters, and validation.
#include <chrono>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/moderation/screening/rule_validation.h"
#include "services/moderation/screening/tenant_rule_matcher.h"
#include "tests/services/moderation/screening/screening_fixtures.h"

namespace agora::moderation::screening {
namespace {

RuleSpec Terms(std::string name, RuleSpec::Action action,
               std::vector<std::string> terms, int risk_weight = 0) {
  RuleSpec rule;
  rule.name = std::move(name);
  rule.action = action;
  rule.terms = std::move(terms);
  rule.risk_weight = risk_weight;
  return rule;
}

RuleSpec Pattern(std::string name, RuleSpec::Action action, std::string pattern,
                 int risk_weight = 0) {
  RuleSpec rule;
  rule.name = std::move(name);
  rule.action = action;
  rule.pattern = std::move(pattern);
  rule.risk_weight = risk_weight;
  return rule;
}

std::shared_ptr<const CompiledTenantRules> WithRules(
    std::vector<RuleSpec> rules) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.rules = std::move(rules);
  return testing::MustCompile(config);
}

TEST(TenantRulesTest, BlockedTermsIgnoreCaseAccentsAndLookAlikes) {
  const auto rules = WithRules({Terms(
      "tenants/fr/rules/no-crypto", RuleSpec::kBlock, {"crypto", "Bitcoin"})});
  for (const char* text : {
           "Achetez de la crypto maintenant",
           "CRYPTO!",
           "crÿpto à gogo",  // diaeresis
           "cry\u0440to",    // Cyrillic р for p
           "ｃｒｙｐｔｏ",   // full-width
           "cr\u200bypto",   // zero-width space
           "BİTCOİN",        // dotted capital I
           "du bitcoin, du vrai",
       }) {
    const ScreeningResult result = testing::ScreenBody(*rules, text);
    const std::vector<Finding> found =
        testing::FindingsOfType(result, FindingType::kBlockedTerm);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].rule, "tenants/fr/rules/no-crypto");
    EXPECT_TRUE(result.block_required);
    EXPECT_EQ(result.risk_score, 100);
    // The original text is kept: rules find, they do not mask.
    EXPECT_EQ(result.masked_texts[0].text, text);
  }
}

TEST(TenantRulesTest, TermsMatchWholeWordsOnly) {
  const auto rules =
      WithRules({Terms("no-crypto", RuleSpec::kBlock, {"crypto"})});
  for (const char* text :
       {"cryptomonnaie", "la cryptographie", "anticrypto", "c r y p t o"}) {
    EXPECT_FALSE(testing::ScreenBody(*rules, text).block_required) << text;
  }
  EXPECT_TRUE(testing::ScreenBody(*rules, "(crypto)").block_required);
  EXPECT_TRUE(testing::ScreenBody(*rules, "crypto-monnaie").block_required);
}

TEST(TenantRulesTest, PhrasesMatchAcrossAnyWhiteSpace) {
  const auto rules = WithRules({Terms("gains", RuleSpec::kWatch,
                                      {"argent facile"}, /*risk_weight=*/25)});
  const ScreeningResult result =
      testing::ScreenBody(*rules, "De l'ARGENT\n  Facile, vite !");
  const std::vector<Finding> found =
      testing::FindingsOfType(result, FindingType::kWatchedTerm);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].start, 5);
  EXPECT_EQ(found[0].length, 15);
  EXPECT_EQ(result.risk_score, 25);
  EXPECT_FALSE(result.hold_required);
}

TEST(TenantRulesTest, HoldRulesRequireAHold) {
  const auto rules =
      WithRules({Terms("review-loans", RuleSpec::kHold, {"rachat de crédit"})});
  const ScreeningResult result =
      testing::ScreenBody(*rules, "Un rachat de crédit rapide ?");
  EXPECT_TRUE(result.hold_required);
  EXPECT_FALSE(result.block_required);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].type, FindingType::kWatchedTerm);
  EXPECT_EQ(result.findings[0].risk, 40);
}

TEST(TenantRulesTest, Re2PatternsMatchTheFoldedText) {
  const auto rules =
      WithRules({Pattern("whatsapp-numbers", RuleSpec::kWatch,
                         R"(whats\s*app\W{0,3}\+?\d)", /*risk_weight=*/30),
                 Pattern("gain-promise", RuleSpec::kBlock,
                         R"(gagnez\s+\d+\s*(?:€|euros?)\s+par\s+jour)")});
  ScreeningResult result =
      testing::ScreenBody(*rules, "Contactez-moi sur WhatsApp: +2 ...");
  EXPECT_EQ(testing::FindingsOfType(result, FindingType::kWatchedTerm).size(),
            1u);
  EXPECT_EQ(result.risk_score, 30);
  result = testing::ScreenBody(*rules, "GAGNEZ 500 EUROS PAR JOUR");
  EXPECT_TRUE(result.block_required);
  // Accents are folded before patterns run: write them without accents.
  result = testing::ScreenBody(*rules, "Gagnez 300 € par jour");
  EXPECT_TRUE(result.block_required);
}

TEST(TenantRulesTest, LanguageAndSpaceFilters) {
  RuleSpec french = Terms("fr-only", RuleSpec::kBlock, {"arnaque"});
  french.language = "fr";
  RuleSpec loans_space = Terms("loans-space", RuleSpec::kBlock, {"bonus"});
  loans_space.spaces = {"tenants/fr/spaces/loans"};
  RuleSpec disabled = Terms("disabled", RuleSpec::kBlock, {"hello"});
  disabled.enabled = false;
  const auto rules = WithRules({french, loans_space, disabled});

  testing::ScreenOptions options;
  options.language = "fr-BE";
  EXPECT_TRUE(
      testing::ScreenBody(*rules, "une arnaque", options).block_required);
  options.language = "it";
  EXPECT_FALSE(
      testing::ScreenBody(*rules, "une arnaque", options).block_required);

  options.space = "tenants/fr/spaces/loans";
  EXPECT_TRUE(testing::ScreenBody(*rules, "un bonus", options).block_required);
  options.space = "tenants/fr/spaces/cards";
  EXPECT_FALSE(testing::ScreenBody(*rules, "un bonus", options).block_required);

  EXPECT_FALSE(testing::ScreenBody(*rules, "hello").block_required);
}

TEST(TenantRulesTest, FiftyRulesInOneSetAndRepeatedMatchesCountOnce) {
  std::vector<RuleSpec> specs;
  for (int i = 0; i < 50; ++i) {
    specs.push_back(Terms(absl::StrCat("rule-", i), RuleSpec::kWatch,
                          {absl::StrCat("motcle", i), absl::StrCat("terme", i)},
                          /*risk_weight=*/5));
  }
  const auto rules = WithRules(specs);
  const ScreeningResult result = testing::ScreenBody(
      *rules, "motcle7 terme7 motcle7 et terme42, pas motcle77x");
  EXPECT_EQ(testing::FindingsOfType(result, FindingType::kWatchedTerm).size(),
            4u);
  EXPECT_EQ(result.risk_score, 10);  // rule-7 once, rule-42 once
}

TEST(TenantRulesTest, MatchesPerRuleAreCapped) {
  const auto rules =
      WithRules({Terms("spam", RuleSpec::kWatch, {"promo"}, 10)});
  std::string text;
  for (int i = 0; i < 100; ++i) text += "promo ";
  const ScreeningResult result = testing::ScreenBody(*rules, text);
  EXPECT_EQ(result.findings.size(), static_cast<size_t>(kMaxMatchesPerRule));
  EXPECT_EQ(result.risk_score, 10);
}

TEST(RuleValidationTest, AnInvalidPatternNamesTheRule) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.rules = {Terms("ok", RuleSpec::kBlock, {"x"}),
                  Terms("ok2", RuleSpec::kBlock, {"y"}),
                  Pattern("no-crypto", RuleSpec::kBlock, "(crypto")};
  const absl::Status status = CompileTenantRules(config).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "rules[2] (\"no-crypto\").pattern: does not compile: missing ): "
            "(crypto");
}

TEST(RuleValidationTest, ValidateRuleNamesTheField) {
  struct Case {
    RuleSpec rule;
    std::string message;
  };
  RuleSpec too_many_terms = Terms("r", RuleSpec::kBlock, {});
  too_many_terms.terms.assign(1001, "x");
  RuleSpec long_term =
      Terms("r", RuleSpec::kBlock, {"ok", std::string(101, 'a')});
  RuleSpec both = Terms("r", RuleSpec::kBlock, {"x"});
  both.pattern = "x";
  RuleSpec language = Terms("r", RuleSpec::kBlock, {"x"});
  language.language = "français";
  RuleSpec spaces = Terms("r", RuleSpec::kBlock, {"x"});
  spaces.spaces.assign(51, "tenants/fr/spaces/s");
  const std::vector<Case> cases = {
      {Terms("", RuleSpec::kBlock, {"x"}), "name: empty"},
      {Terms("builtin/card-number", RuleSpec::kBlock, {"x"}),
       "name: \"builtin/\" is reserved for built-in detectors"},
      {Terms("r", static_cast<RuleSpec::Action>(7), {"x"}),
       "action: must be BLOCK, HOLD or WATCH"},
      {Terms("r", RuleSpec::kBlock, {}),
       "terms: exactly one of terms and pattern must be set"},
      {both, "terms: exactly one of terms and pattern must be set"},
      {too_many_terms, "terms: more than 1000 entries"},
      {long_term, "terms[1]: longer than 100 characters"},
      {Terms("r", RuleSpec::kBlock, {"ok", ""}), "terms[1]: empty"},
      {Terms("r", RuleSpec::kBlock, {"\u200b"}),
       "terms[0]: nothing left once folded (only spaces or invisible "
       "characters)"},
      {Pattern("r", RuleSpec::kBlock, std::string(1001, 'a')),
       "pattern: longer than 1000 characters"},
      {Pattern("r", RuleSpec::kBlock, "a*"), "pattern: matches the empty text"},
      {Pattern("r", RuleSpec::kBlock, "(?<name>x)"),
       "pattern: does not compile: invalid perl operator: (?<"},
      {Pattern("r", RuleSpec::kBlock, "a{1000}{1000}"),
       "pattern: does not compile: bad repetition operator: {1000}{1000}"},
      {Pattern("r", RuleSpec::kBlock, R"(\pL{1000})"),
       "pattern: exceeds the program-size limit (1 MiB)"},
      {Pattern("r", RuleSpec::kBlock, R"((a)\1)"),
       "pattern: does not compile: invalid escape sequence: \\1"},
      {Terms("r", RuleSpec::kWatch, {"x"}, 0),
       "risk_weight: must be 1-100 for a WATCH rule"},
      {Terms("r", RuleSpec::kWatch, {"x"}, 101),
       "risk_weight: must be 1-100 for a WATCH rule"},
      {language, "language: not a BCP-47 language tag"},
      {spaces, "spaces: more than 50 entries"},
  };
  for (const Case& c : cases) {
    const absl::Status status = ValidateRule(c.rule);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(std::string(status.message()), c.message);
  }
  EXPECT_TRUE(ValidateRule(Terms("r", RuleSpec::kBlock, {"x"})).ok());
  EXPECT_TRUE(ValidateRule(Pattern("r", RuleSpec::kHold, R"(\bx\b)")).ok());
}

TEST(RuleValidationTest, ValidateTenantConfigNamesTheField) {
  auto message = [](const TenantScreeningConfig& config) {
    return static_cast<std::string>(ValidateTenantConfig(config).message());
  };
  TenantScreeningConfig config = testing::BankTenantConfig();
  EXPECT_TRUE(ValidateTenantConfig(config).ok());
  config.link_policy.allowed_domains = {"*.exemple.fr", "pas un domaine"};
  EXPECT_EQ(message(config),
            "link_policy.allowed_domains[1]: not a domain name or *.domain");
  config = testing::BankTenantConfig();
  config.link_policy.min_trust_level = 0;
  EXPECT_EQ(message(config), "link_policy.min_trust_level: must be 1-5");
  config = testing::BankTenantConfig();
  config.link_policy.max_links_per_post = 101;
  EXPECT_EQ(message(config), "link_policy.max_links_per_post: must be 0-100");
  config = testing::BankTenantConfig();
  config.shouting_uppercase_ratio = 0.3;
  EXPECT_EQ(message(config), "shouting_uppercase_ratio: must be 0.5-1.0");
  config = testing::BankTenantConfig();
  config.countries = {"FR", "France"};
  EXPECT_EQ(message(config), "countries[1]: not a two-letter country code");
  config = testing::BankTenantConfig();
  config.staff_names = {""};
  EXPECT_EQ(message(config), "staff_names[0]: must be 1-100 characters");
  config = testing::BankTenantConfig();
  config.link_policy.bank_domains = {"bnpparibas"};
  EXPECT_EQ(message(config), "link_policy.bank_domains[0]: not a domain name");
}

// A tenant at the limits of ValidateRule: 1,000 rules would exceed any
// sensible memory budget together, so a large but plausible one must either
// compile or be refused with a clear message — never crash or hang.
TEST(TenantRulesTest, LargeConfigurationsCompileOrAreRefusedClearly) {
  std::vector<RuleSpec> specs;
  for (int r = 0; r < 100; ++r) {
    RuleSpec rule = Terms(absl::StrCat("big-", r), RuleSpec::kWatch, {}, 1);
    for (int t = 0; t < 300; ++t) {
      rule.terms.push_back(absl::StrCat("mot", r, "x", t, "fin"));
    }
    specs.push_back(std::move(rule));
  }
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.rules = specs;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::shared_ptr<const CompiledTenantRules>> compiled =
      CompileTenantRules(config);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  std::cout
      << "[ rules ] 100 rules x 300 terms: "
      << (compiled.ok() ? "compiled" : compiled.status().ToString()) << " in "
      << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
      << " ms (sanitizer build)\n";
  if (compiled.ok()) {
    const ScreeningResult result =
        testing::ScreenBody(**compiled, "un mot42x17fin et mot99x299fin");
    EXPECT_EQ(result.findings.size(), 2u);
    EXPECT_EQ(result.risk_score, 2);
  } else {
    EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(TermListPatternTest, QuotesFoldsAndOrdersLongestFirst) {
  EXPECT_EQ(TermListPattern({"C++", "Crédit  Agricole", "crédit", "中文"}),
            R"((?:\bcredit\s+agricole\b|\bcredit\b|中文|\bc\+\+))");
}

}  // namespace
}  // namespace agora::moderation::screening
