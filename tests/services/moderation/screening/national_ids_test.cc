// National identifiers: each valid one masked, each with a wrong check
// digit left alone; the country gate of PESEL and BSN.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/moderation/screening/national_id_detector.h"
#include "tests/services/moderation/screening/screening_fixtures.h"
#include "tests/services/moderation/screening/test_corpus.h"

namespace agora::moderation::screening {
namespace {

using testing::Random;

constexpr absl::string_view kMask = kNationalIdMask;

class NationalIdsTest : public ::testing::Test {
 protected:
  // The masked text and the single personal-data finding's type, or
  // nothing.
  std::string Masked(const std::string& text) {
    return testing::ScreenBody(*rules_, text).masked_texts[0].text;
  }
  std::vector<Finding> Found(const std::string& text) {
    return testing::MaskedFindings(testing::ScreenBody(*rules_, text));
  }

  std::shared_ptr<const CompiledTenantRules> rules_ =
      testing::MustCompile(testing::BankTenantConfig());
};

TEST_F(NationalIdsTest, FrenchNirCompactGroupedAndCorsican) {
  Random random(1);
  for (int i = 0; i < 50; ++i) {
    const std::string nir = testing::GenerateNir(random, i % 4 == 0);
    const std::string grouped = absl::StrCat(
        nir.substr(0, 1), " ", nir.substr(1, 2), " ", nir.substr(3, 2), " ",
        nir.substr(5, 2), " ", nir.substr(7, 3), " ", nir.substr(10, 3), " ",
        nir.substr(13, 2));
    const std::string key_apart =
        absl::StrCat(nir.substr(0, 13), " ", nir.substr(13));
    for (const std::string& written : {nir, grouped, key_apart}) {
      EXPECT_EQ(Masked(absl::StrCat("Mon numéro de sécu : ", written, ".")),
                absl::StrCat("Mon numéro de sécu : ", kMask, "."))
          << written;
      const std::vector<Finding> found = Found(absl::StrCat("Sécu ", written));
      ASSERT_EQ(found.size(), 1u) << written;
      EXPECT_EQ(found[0].type, FindingType::kNationalIdFrNir);
      EXPECT_EQ(found[0].rule, "builtin/national-id-fr-nir");
    }
    // Wrong key.
    std::string wrong = nir;
    wrong[14] = static_cast<char>('0' + (wrong[14] - '0' + 1) % 10);
    EXPECT_TRUE(Found(absl::StrCat("Sécu ", wrong)).empty()) << wrong;
  }
  // A 15-digit number starting with 5 is no NIR, whatever its key.
  EXPECT_TRUE(Found("Réf 555081416802588").empty());
}

TEST_F(NationalIdsTest, ItalianCodiceFiscaleIncludingOmocodia) {
  EXPECT_EQ(Masked("Il mio codice fiscale è RSSMRA85T10A562S, grazie."),
            absl::StrCat("Il mio codice fiscale è ", kMask, ", grazie."));
  EXPECT_EQ(Found("cf: rssmra85t10a562s")[0].type,
            FindingType::kNationalIdItCodiceFiscale);
  // Omocodia: digits 2 and 5 of the place code replaced by letters; the
  // check character is recomputed over the new characters.
  EXPECT_EQ(Found("CF RSSMRA85T10A56NH").size(), 1u);
  EXPECT_TRUE(Found("CF RSSMRA85T10A562T").empty());  // wrong check char
  EXPECT_TRUE(Found("CF RSSMRA85X10A562S").empty());  // X is no month
  EXPECT_TRUE(Found("REFERENCEABCDEFGH").empty());
  Random random(2);
  for (int i = 0; i < 50; ++i) {
    const std::string cf = testing::GenerateCodiceFiscale(random);
    EXPECT_EQ(Found(absl::StrCat("Codice: ", cf)).size(), 1u) << cf;
  }
}

TEST_F(NationalIdsTest, SpanishDniAndNie) {
  EXPECT_EQ(Masked("Mi DNI es 12345678Z."),
            absl::StrCat("Mi DNI es ", kMask, "."));
  EXPECT_EQ(Found("DNI 12345678-Z").size(), 1u);
  EXPECT_EQ(Found("DNI 12.345.678-Z").size(), 1u);
  EXPECT_EQ(Found("NIE X1234567L").size(), 1u);
  EXPECT_EQ(Found("NIE x-1234567-l").size(), 1u);
  EXPECT_TRUE(Found("DNI 12345678A").empty());  // wrong letter
  EXPECT_TRUE(Found("NIE X1234567T").empty());  // wrong letter
  EXPECT_TRUE(Found("payé 12345678 a la caisse").empty());
  Random random(3);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(Found(absl::StrCat("DNI ", testing::GenerateDni(random))).size(),
              1u);
    EXPECT_EQ(Found(absl::StrCat("NIE ", testing::GenerateNie(random))).size(),
              1u);
  }
}

TEST_F(NationalIdsTest, PolishPeselInPolishTenants) {
  EXPECT_EQ(Masked("Mój PESEL to 44051401359."),
            absl::StrCat("Mój PESEL to ", kMask, "."));
  EXPECT_TRUE(Found("PESEL 44051401358").empty());  // wrong check digit
  EXPECT_TRUE(Found("PESEL 44131401355").empty());  // month 13
  Random random(4);
  for (int i = 0; i < 50; ++i) {
    const std::string pesel = testing::GeneratePesel(random);
    EXPECT_EQ(Found(absl::StrCat("PESEL ", pesel)).size(), 1u) << pesel;
  }
  // Not looked for outside Polish tenants: 1 random 11-digit number in 10
  // would pass.
  TenantScreeningConfig french = testing::BankTenantConfig();
  french.countries = {"FR"};
  const auto rules = testing::MustCompile(french);
  EXPECT_TRUE(
      testing::MaskedFindings(testing::ScreenBody(*rules, "PESEL 44051401359"))
          .empty());
}

TEST_F(NationalIdsTest, DutchBsnInDutchTenants) {
  EXPECT_EQ(Masked("Mijn BSN is 111222333."),
            absl::StrCat("Mijn BSN is ", kMask, "."));
  EXPECT_EQ(Found("BSN 1112.22.333").size(), 1u);
  EXPECT_TRUE(Found("BSN 111222334").empty());
  Random random(5);
  for (int i = 0; i < 50; ++i) {
    const std::string bsn = testing::GenerateBsn(random);
    EXPECT_EQ(Found(absl::StrCat("BSN ", bsn)).size(), 1u) << bsn;
  }
  TenantScreeningConfig french = testing::BankTenantConfig();
  french.countries = {"FR"};
  const auto rules = testing::MustCompile(french);
  EXPECT_TRUE(
      testing::MaskedFindings(testing::ScreenBody(*rules, "BSN 111222333"))
          .empty());
}

TEST_F(NationalIdsTest, IdentifiersGluedToWordsOrNumbersAreNotMasked) {
  EXPECT_TRUE(Found("ref44051401359x").empty());
  EXPECT_TRUE(Found("1,44051401359").empty());
  EXPECT_TRUE(Found("A12345678Z").empty());
}

}  // namespace
}  // namespace agora::moderation::screening
