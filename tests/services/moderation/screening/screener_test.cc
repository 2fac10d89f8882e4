// The whole pipeline: offsets in code points of the masked text, multi-byte
// text around masks, several fields, ill-formed input, 40,000-character
// texts, risk cap, determinism and concurrent use.
#include "services/moderation/screening/screener.h"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/moderation/screening/utf8.h"
#include "tests/services/moderation/screening/screening_fixtures.h"
#include "tests/services/moderation/screening/test_corpus.h"

namespace agora::moderation::screening {
namespace {

using testing::CodePointSubstr;

constexpr absl::string_view kCardMask = "\u2022\u2022\u2022\u2022 8908";

class ScreenerTest : public ::testing::Test {
 protected:
  std::shared_ptr<const CompiledTenantRules> rules_ =
      testing::MustCompile(testing::BankTenantConfig());
};

TEST_F(ScreenerTest, OffsetsAreCodePointsOfTheMaskedText) {
  // Before the card: accents (2 bytes), an emoji (4 bytes), CJK (3 bytes).
  const std::string text =
      "Café ☕ 😀 中文 carte 4973 0123 4567 8908 — merci 🙏 Zażółć";
  const ScreeningResult result = testing::ScreenBody(*rules_, text);
  const std::string& masked = result.masked_texts[0].text;
  EXPECT_EQ(masked, absl::StrCat("Café ☕ 😀 中文 carte ", kCardMask,
                                 " — merci 🙏 Zażółć"));
  ASSERT_EQ(result.findings.size(), 1u);
  const Finding& card = result.findings[0];
  EXPECT_EQ(card.type, FindingType::kCardNumber);
  EXPECT_EQ(card.start, 18);
  EXPECT_EQ(card.length, 9);
  EXPECT_TRUE(card.masked);
  EXPECT_EQ(CodePointSubstr(masked, card.start, card.length), kCardMask);
  EXPECT_TRUE(IsValidUtf8(masked));
}

TEST_F(ScreenerTest, FindingsAfterAMaskAreShiftedByIt) {
  // The 19-character card becomes a 9-character mask; the e-mail after it
  // moves 10 code points left; the credential request after both too.
  const std::string text =
      "4973 0123 4567 8908 é jean@exemple.fr ! Envoyez-moi votre code.";
  const ScreeningResult result = testing::ScreenBody(*rules_, text);
  const std::string& masked = result.masked_texts[0].text;
  EXPECT_EQ(masked, absl::StrCat(kCardMask,
                                 " é \u2022\u2022\u2022@\u2022\u2022\u2022 ! "
                                 "Envoyez-moi votre code."));
  ASSERT_EQ(result.findings.size(), 3u);
  EXPECT_EQ(result.findings[0].start, 0);
  EXPECT_EQ(result.findings[1].type, FindingType::kEmailAddress);
  EXPECT_EQ(CodePointSubstr(masked, result.findings[1].start,
                            result.findings[1].length),
            "\u2022\u2022\u2022@\u2022\u2022\u2022");
  EXPECT_EQ(result.findings[2].type, FindingType::kCredentialRequest);
  EXPECT_EQ(CodePointSubstr(masked, result.findings[2].start,
                            result.findings[2].length),
            "Envoyez-moi votre code");
}

TEST_F(ScreenerTest, AFindingOverlappingAMaskCoversTheWholeMask) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  RuleSpec rule;
  rule.name = "card-talk";
  rule.action = RuleSpec::kWatch;
  rule.pattern = R"(carte\s+\d{4})";
  rule.risk_weight = 5;
  config.rules = {rule};
  const auto rules = testing::MustCompile(config);
  const ScreeningResult result =
      testing::ScreenBody(*rules, "Ma carte 4973 0123 4567 8908.");
  const std::vector<Finding> watched =
      testing::FindingsOfType(result, FindingType::kWatchedTerm);
  ASSERT_EQ(watched.size(), 1u);
  EXPECT_EQ(CodePointSubstr(result.masked_texts[0].text, watched[0].start,
                            watched[0].length),
            absl::StrCat("carte ", kCardMask));
}

TEST_F(ScreenerTest, FullWidthDigitsAreMaskedWithTheirSurroundings) {
  const std::string text = "（カード：４９７３ ０１２３ ４５６７ ８９０８）";
  const ScreeningResult result = testing::ScreenBody(*rules_, text);
  EXPECT_EQ(result.masked_texts[0].text,
            absl::StrCat("（カード：", kCardMask, "）"));
  EXPECT_EQ(result.findings.at(0).start, 5);
}

TEST_F(ScreenerTest, SeveralFieldsKeepTheirOrderAndNames) {
  ScreeningInput input;
  input.language = "fr";
  input.trust_level = 3;
  input.texts = {{"title", "URGENT carte 4973 0123 4567 8908"},
                 {"body", "Rien ici."},
                 {"review.pros", "écrire à a@b.fr"}};
  const ScreeningResult result = Screener().Screen(input, *rules_);
  ASSERT_EQ(result.masked_texts.size(), 3u);
  EXPECT_EQ(result.masked_texts[0].field, "title");
  EXPECT_EQ(result.masked_texts[0].text,
            absl::StrCat("URGENT carte ", kCardMask));
  EXPECT_EQ(result.masked_texts[1].text, "Rien ici.");
  EXPECT_EQ(result.masked_texts[2].field, "review.pros");
  ASSERT_EQ(result.findings.size(), 2u);
  EXPECT_EQ(result.findings[0].field, "title");
  EXPECT_EQ(result.findings[1].field, "review.pros");
  EXPECT_EQ(result.findings[1].start, 9);
  EXPECT_EQ(result.risk_score, 15);
}

TEST_F(ScreenerTest, RiskIsCappedAtOneHundred) {
  const ScreeningResult result = testing::ScreenBody(
      *rules_,
      "Je suis conseiller chez BNP Paribas : envoyez-moi votre code sur "
      "https://bnp-paribas-secure.com !!!");
  EXPECT_EQ(result.risk_score, 100);
  int sum = 0;
  for (const Finding& finding : result.findings) sum += finding.risk;
  EXPECT_GT(sum, 100);
}

TEST_F(ScreenerTest, IllFormedUtf8ComesBackAsReplacementCharacters) {
  const std::string text = "carte\xFF 4973 0123 4567 8908 \xC3";
  const ScreeningResult result = testing::ScreenBody(*rules_, text);
  EXPECT_EQ(result.masked_texts[0].text,
            absl::StrCat("carte\uFFFD ", kCardMask, " \uFFFD"));
  EXPECT_EQ(result.findings.at(0).start, 7);
}

TEST_F(ScreenerTest, EmptyInput) {
  ScreeningInput input;
  EXPECT_TRUE(Screener().Screen(input, *rules_).masked_texts.empty());
  input.texts = {{"body", ""}};
  const ScreeningResult result = Screener().Screen(input, *rules_);
  EXPECT_EQ(result.masked_texts[0].text, "");
  EXPECT_TRUE(result.findings.empty());
  EXPECT_EQ(result.risk_score, 0);
}

TEST_F(ScreenerTest, FortyThousandCharacterText) {
  testing::Random random(40000);
  std::string text;
  std::vector<std::string> cards;
  int paragraphs = 0;
  while (CountCodePoints(text) < 39000) {
    const std::string card = testing::GenerateCardNumber(
        testing::CardBrands()[paragraphs % testing::CardBrands().size()],
        random);
    cards.push_back(card);
    absl::StrAppend(&text, "Paragraphe ", paragraphs++,
                    " : façon élégante d’écrire — 😀 中文 ",
                    testing::WriteCard(card, testing::Writing::kSpaces),
                    " et un montant de 1 234,56 €. ");
  }
  while (CountCodePoints(text) < 40000) text += "é";
  ASSERT_EQ(CountCodePoints(text), 40000u);

  const auto start = std::chrono::steady_clock::now();
  const ScreeningResult result = testing::ScreenBody(*rules_, text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  std::cout
      << "[ screener ] 40,000 characters, " << cards.size() << " cards: "
      << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
      << " ms (sanitizer build)\n";

  const std::string& masked = result.masked_texts[0].text;
  EXPECT_TRUE(IsValidUtf8(masked));
  const std::vector<Finding> found = testing::MaskedFindings(result);
  ASSERT_EQ(found.size(), cards.size());
  for (size_t i = 0; i < cards.size(); ++i) {
    EXPECT_EQ(CodePointSubstr(masked, found[i].start, found[i].length),
              absl::StrCat("\u2022\u2022\u2022\u2022 ",
                           cards[i].substr(cards[i].size() - 4)));
    EXPECT_EQ(
        masked.find(testing::WriteCard(cards[i], testing::Writing::kSpaces)),
        std::string::npos);
  }
  // Each 19-19 character card became 9 characters.
  size_t removed = 0;
  for (const std::string& card : cards) {
    removed +=
        CountCodePoints(testing::WriteCard(card, testing::Writing::kSpaces)) -
        9;
  }
  EXPECT_EQ(CountCodePoints(masked), 40000u - removed);
  EXPECT_EQ(result.risk_score, 10);
}

// Texts built to make a scanner go back over what it read: every detector
// must stay linear (40,000 characters each, well under a second even with
// sanitizers).
TEST_F(ScreenerTest, AdversarialTextsComeBackWholeAndValid) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  RuleSpec rule;
  rule.name = "words";
  rule.action = RuleSpec::kWatch;
  rule.risk_weight = 5;
  rule.terms = {"crypto", "\u4e2d\u6587"};
  config.rules = {rule};
  const auto rules = testing::MustCompile(config);
  auto repeat = [](absl::string_view unit) {
    std::string text;
    const size_t units = 40000 / CountCodePoints(unit);
    for (size_t i = 0; i < units; ++i) absl::StrAppend(&text, unit);
    return text;
  };
  for (const std::string& text : {
           repeat("1 "),
           repeat("12-"),
           repeat("4973 "),
           repeat("a@"),
           repeat("a.b@"),
           repeat("x."),
           repeat("http://a"),
           repeat("www."),
           repeat("!?"),
           repeat("fr76 "),
           repeat("x1234567"),
           repeat("+33 "),
           repeat("cryptocrypto"),
           repeat("\u4e2d\u6587x"),
           repeat("\u0301"),
           repeat("\xFF"),
           repeat("envoyez-moi votre "),
           repeat("je suis conseiller "),
           repeat("Cordialement, "),
       }) {
    // Speed is measured in bench/moderation (40,000 characters: ~0.5 ms);
    // here a pathological text must simply come back whole and valid (the
    // test's CTest timeout catches a super-linear blow-up).
    const ScreeningResult result = testing::ScreenBody(*rules, text);
    EXPECT_TRUE(IsValidUtf8(result.masked_texts[0].text)) << text.substr(0, 20);
  }
}

TEST_F(ScreenerTest, ConcurrentScreensShareTheCompiledRules) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  RuleSpec rule;
  rule.name = "no-crypto";
  rule.action = RuleSpec::kBlock;
  rule.terms = {"crypto", "bitcoin"};
  config.rules = {rule};
  const auto rules = testing::MustCompile(config);
  const Screener screener;
  std::vector<ScreeningInput> inputs;
  for (int i = 0; i < 8; ++i) {
    ScreeningInput input;
    input.language = "fr";
    input.trust_level = 1 + i % 5;
    input.texts = {
        {"body", absl::StrCat("Post ", i,
                              " : carte 4973 0123 4567 8908, IBAN "
                              "FR14 2004 1010 0505 0001 3M02 606, du crypto, "
                              "https://bnp-paribas-secure.com, envoyez-moi "
                              "votre code, 06 12 34 56 78")}};
    inputs.push_back(input);
  }
  std::vector<ScreeningResult> expected;
  for (const ScreeningInput& input : inputs) {
    expected.push_back(screener.Screen(input, *rules));
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 50; ++n) {
        const size_t i = static_cast<size_t>((t + n) % 8);
        const ScreeningResult result = screener.Screen(inputs[i], *rules);
        if (result.masked_texts != expected[i].masked_texts ||
            result.findings != expected[i].findings ||
            result.risk_score != expected[i].risk_score ||
            result.block_required != expected[i].block_required) {
          ++mismatches[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) EXPECT_EQ(count, 0);
  EXPECT_TRUE(expected[0].block_required);
  EXPECT_EQ(testing::MaskedFindings(expected[0]).size(), 3u);
}

}  // namespace
}  // namespace agora::moderation::screening
