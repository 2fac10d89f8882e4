// The generated corpus of the issue: valid test card numbers of every scheme
// and valid IBANs of every SEPA country, embedded in French, Italian,
// Polish and Dutch sentences, written compactly, with spaces, dashes,
// no-break spaces, full-width characters (and Arabic-Indic digits for
// cards, lowercase for IBANs). Every one must be masked: the masked text is
// exactly the sentence with the mask in place of the number, and the
// finding points at the mask.
#include <iostream>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/services/moderation/screening/screening_fixtures.h"
#include "tests/services/moderation/screening/test_corpus.h"

namespace agora::moderation::screening {
namespace {

using testing::CardBrands;
using testing::CodePointSubstr;
using testing::Fill;
using testing::Random;

constexpr uint64_t kSeed = 20261122;
constexpr int kNumbersPerBrand = 6;
constexpr int kIbansPerCountry = 3;

// Checks one embedded number; returns true when fully masked.
bool ExpectMasked(const CompiledTenantRules& rules, const std::string& text,
                  const std::string& sentence, const std::string& mask,
                  FindingType type, const std::string& compact,
                  const std::string& written) {
  const ScreeningResult result = testing::ScreenBody(rules, text);
  const std::string& masked = result.masked_texts.at(0).text;
  bool ok = true;
  const std::string expected = Fill(sentence, mask);
  if (masked != expected) {
    ADD_FAILURE() << "not masked exactly\n  input:    " << text
                  << "\n  masked:   " << masked << "\n  expected: " << expected;
    ok = false;
  }
  if (masked.find(compact) != std::string::npos ||
      masked.find(written) != std::string::npos) {
    ADD_FAILURE() << "number still visible in: " << masked;
    ok = false;
  }
  const std::vector<Finding> found = testing::MaskedFindings(result);
  if (found.size() != 1 || found[0].type != type) {
    ADD_FAILURE() << "expected one " << FindingTypeName(type)
                  << " finding, got " << found.size() << " for: " << text;
    return false;
  }
  if (CodePointSubstr(masked, found[0].start, found[0].length) != mask) {
    ADD_FAILURE() << "finding [" << found[0].start << ", +" << found[0].length
                  << ") does not cover the mask in: " << masked;
    ok = false;
  }
  return ok;
}

TEST(PersonalDataCorpusTest, EveryGeneratedCardNumberIsMasked) {
  const auto rules = testing::MustCompile(testing::BankTenantConfig());
  Random random(kSeed);
  int total = 0;
  int masked = 0;
  std::set<std::string> languages;
  for (const testing::CardBrand& brand : CardBrands()) {
    for (int n = 0; n < kNumbersPerBrand; ++n) {
      const std::string number = testing::GenerateCardNumber(brand, random);
      for (testing::Writing writing : testing::CardWritings()) {
        for (const testing::Sentence& sentence : testing::CardSentences()) {
          const std::string written = testing::WriteCard(number, writing);
          const std::string text = Fill(sentence.text, written);
          const std::string mask = absl::StrCat(
              "\u2022\u2022\u2022\u2022 ", number.substr(number.size() - 4));
          SCOPED_TRACE(absl::StrCat(brand.name, " ",
                                    testing::WritingName(writing), " ",
                                    sentence.language));
          ++total;
          languages.insert(sentence.language);
          if (ExpectMasked(*rules, text, sentence.text, mask,
                           FindingType::kCardNumber, number, written)) {
            ++masked;
          }
        }
      }
    }
  }
  std::cout << "[ corpus ] card numbers masked: " << masked << "/" << total
            << " (" << CardBrands().size() << " schemes, "
            << testing::CardWritings().size() << " writings, "
            << languages.size() << " languages)\n";
  EXPECT_EQ(masked, total);
}

TEST(PersonalDataCorpusTest, EveryGeneratedIbanOfEverySepaCountryIsMasked) {
  const auto rules = testing::MustCompile(testing::BankTenantConfig());
  Random random(kSeed + 1);
  int total = 0;
  int masked = 0;
  for (const testing::SepaCountry& country : testing::SepaCountries()) {
    for (int n = 0; n < kIbansPerCountry; ++n) {
      const std::string iban = testing::GenerateIban(country, random);
      ASSERT_EQ(iban.size(), static_cast<size_t>(country.length));
      for (testing::Writing writing : testing::IbanWritings()) {
        for (const testing::Sentence& sentence : testing::IbanSentences()) {
          const std::string written = testing::WriteIban(iban, writing);
          const std::string text = Fill(sentence.text, written);
          const std::string mask =
              absl::StrCat(iban.substr(0, 2), "\u2022\u2022\u2022\u2022 ",
                           iban.substr(iban.size() - 4));
          SCOPED_TRACE(absl::StrCat(country.code, " ",
                                    testing::WritingName(writing), " ",
                                    sentence.language));
          ++total;
          if (ExpectMasked(*rules, text, sentence.text, mask,
                           FindingType::kIban, iban, written)) {
            ++masked;
          }
        }
      }
    }
  }
  std::cout << "[ corpus ] IBANs masked: " << masked << "/" << total << " ("
            << testing::SepaCountries().size() << " SEPA countries, "
            << testing::IbanWritings().size() << " writings)\n";
  EXPECT_EQ(masked, total);
}

TEST(PersonalDataCorpusTest, SeveralNumbersInOneTextAreAllMasked) {
  const auto rules = testing::MustCompile(testing::BankTenantConfig());
  Random random(kSeed + 2);
  const std::string card =
      testing::GenerateCardNumber(CardBrands().front(), random);
  const std::string iban =
      testing::GenerateIban(testing::SepaCountries().front(), random);
  const std::string text = absl::StrCat(
      "Carte ", testing::WriteCard(card, testing::Writing::kSpaces),
      " et IBAN ", testing::WriteIban(iban, testing::Writing::kSpaces),
      ", puis la carte encore : ", card, ".");
  const ScreeningResult result = testing::ScreenBody(*rules, text);
  const std::string card_mask =
      absl::StrCat("\u2022\u2022\u2022\u2022 ", card.substr(card.size() - 4));
  const std::string iban_mask =
      absl::StrCat(iban.substr(0, 2), "\u2022\u2022\u2022\u2022 ",
                   iban.substr(iban.size() - 4));
  EXPECT_EQ(result.masked_texts[0].text,
            absl::StrCat("Carte ", card_mask, " et IBAN ", iban_mask,
                         ", puis la carte encore : ", card_mask, "."));
  const std::vector<Finding> found = testing::MaskedFindings(result);
  ASSERT_EQ(found.size(), 3u);
  for (const Finding& finding : found) {
    const std::string shown = CodePointSubstr(result.masked_texts[0].text,
                                              finding.start, finding.length);
    EXPECT_TRUE(shown == card_mask || shown == iban_mask) << shown;
  }
  // Two card findings, one IBAN: the card's risk counts once.
  EXPECT_EQ(result.risk_score, 15);
}

}  // namespace
}  // namespace agora::moderation::screening
