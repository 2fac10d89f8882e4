// E-mail addresses and phone numbers of the tenant countries.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/services/moderation/screening/screening_fixtures.h"
#include "tests/services/moderation/screening/test_corpus.h"

namespace agora::moderation::screening {
namespace {

constexpr absl::string_view kEmail = "\u2022\u2022\u2022@\u2022\u2022\u2022";

std::shared_ptr<const CompiledTenantRules> Tenant(
    std::vector<std::string> countries) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.countries = std::move(countries);
  return testing::MustCompile(config);
}

std::string Masked(const CompiledTenantRules& rules, const std::string& text) {
  return testing::ScreenBody(rules, text).masked_texts[0].text;
}

TEST(EmailAddressesTest, AreMaskedWholly) {
  const auto rules = Tenant({"FR"});
  EXPECT_EQ(Masked(*rules, "Écrivez-moi à jean.dupont+banque@exemple.fr !"),
            absl::StrCat("Écrivez-moi à ", kEmail, " !"));
  EXPECT_EQ(Masked(*rules, "mail: ÉLODIE_92@Sub.Domaine-Test.co.uk."),
            absl::StrCat("mail: ", kEmail, "."));
  // Full-width at sign and letters.
  EXPECT_EQ(Masked(*rules, "contact ｊｅａｎ＠ｅｘｅｍｐｌｅ．ｆｒ merci"),
            absl::StrCat("contact ", kEmail, " merci"));
  const ScreeningResult result =
      testing::ScreenBody(*rules, "a@b.co et c.d@e.org");
  ASSERT_EQ(result.findings.size(), 2u);
  EXPECT_EQ(result.findings[0].type, FindingType::kEmailAddress);
  EXPECT_EQ(result.findings[0].rule, "builtin/email-address");
  EXPECT_EQ(result.findings[1].start, 11);
}

TEST(EmailAddressesTest, ThingsWithAnAtSignThatAreNotAddresses) {
  const auto rules = Tenant({"FR"});
  for (const char* text :
       {"rendez-vous @ 14h", "@support merci", "prix: 3 @ 5 €",
        "user@localhost", "a@b.c", "twitter @BNPParibas"}) {
    EXPECT_EQ(Masked(*rules, text), text);
  }
}

struct PhoneCase {
  std::vector<std::string> countries;
  std::string written;
  std::string last_two;
};

TEST(PhoneNumbersTest, NationalAndInternationalFormatsPerCountry) {
  const std::vector<PhoneCase> cases = {
      {{"FR"}, "06 12 34 56 78", "78"},
      {{"FR"}, "06.12.34.56.78", "78"},
      {{"FR"}, "06-12-34-56-78", "78"},
      {{"FR"}, "0612345678", "78"},
      {{"FR"}, "01 42 68 53 00", "00"},
      {{"FR"}, "+33 6 12 34 56 78", "78"},
      {{"FR"}, "+33 (0)6 12 34 56 78", "78"},
      {{"FR"}, "+33612345678", "78"},
      {{"FR"}, "0033 6 12 34 56 78", "78"},
      {{"FR"}, "＋３３ ６ １２ ３４ ５６ ７８", "78"},
      {{"IT"}, "333 123 4567", "67"},
      {{"IT"}, "3331234567", "67"},
      {{"IT"}, "06 1234 5678", "78"},
      {{"IT"}, "+39 333 123 4567", "67"},
      {{"PL"}, "600 123 456", "56"},
      {{"PL"}, "600-123-456", "56"},
      {{"PL"}, "600123456", "56"},
      {{"PL"}, "22 123 45 67", "67"},
      {{"PL"}, "+48 600 123 456", "56"},
      {{"NL"}, "06-12345678", "78"},
      {{"NL"}, "06 1234 5678", "78"},
      {{"NL"}, "0612345678", "78"},
      {{"NL"}, "020-1234567", "67"},
      {{"NL"}, "+31 6 12345678", "78"},
      {{"ES"}, "612 345 678", "78"},
      {{"ES"}, "612345678", "78"},
      {{"ES"}, "91 123 45 67", "67"},
      {{"ES"}, "+34 612 34 56 78", "78"},
      {{"BE"}, "0470 12 34 56", "56"},
      {{"BE"}, "02 123 45 67", "67"},
      {{"BE"}, "+32 470 12 34 56", "56"},
      {{"DE"}, "0151 23456789", "89"},
      {{"DE"}, "+49 30 1234567", "67"},
      {{"DE"}, "+49 1512 3456789", "89"},
      {{"PT"}, "912 345 678", "78"},
      {{"CH"}, "079 123 45 67", "67"},
      {{"GB"}, "07700 900123", "23"},
      {{"GB"}, "+44 20 7946 0958", "58"},
      // International numbers are recognised in any tenant.
      {{"FR"}, "+48 600 123 456", "56"},
      {{"FR"}, "+39 06 1234 5678", "78"},
  };
  for (const PhoneCase& c : cases) {
    const auto rules = Tenant(c.countries);
    const std::string text = absl::StrCat("Appelez le ", c.written, " svp");
    const ScreeningResult result = testing::ScreenBody(*rules, text);
    EXPECT_EQ(result.masked_texts[0].text,
              absl::StrCat("Appelez le \u2022\u2022\u2022\u2022 ", c.last_two,
                           " svp"))
        << c.countries[0] << " " << c.written;
    const std::vector<Finding> found = testing::MaskedFindings(result);
    ASSERT_EQ(found.size(), 1u) << c.written;
    EXPECT_EQ(found[0].type, FindingType::kPhoneNumber) << c.written;
  }
}

TEST(PhoneNumbersTest, NationalFormatsOfOtherCountriesAreNotLookedFor) {
  const auto french = Tenant({"FR"});
  // A French 08 number is a business's service number, not a person's.
  EXPECT_EQ(Masked(*french, "08 00 12 34 56"), "08 00 12 34 56");
  for (const char* text : {"600 123 456", "333 123 4567", "612 345 678"}) {
    EXPECT_EQ(Masked(*french, text), text);
  }
}

TEST(PhoneNumbersTest, PhoneLikeNumbersThatAreNotPhones) {
  const auto rules = Tenant({"FR", "IT", "PL", "NL"});
  for (const char* text : {
           "06 12 34 56",          // 8 digits
           "06 12 34 56 78 90",    // 12 digits
           "+33 6 12 34 56",       // 8 after the code
           "12.03.2024",           // date
           "30-03-2024 10",        // date and hour
           "06 12 34 56 78,50 €",  // continues as a decimal
           "1 234 567 €",          // amount
           "600 123 456 zł",       // amount in złoty
           "2015/00775",           // reference
           "3.141592653",          // decimal
           "tel0612345678",        // glued to a word
       }) {
    EXPECT_EQ(Masked(*rules, text), text) << text;
  }
}

}  // namespace
}  // namespace agora::moderation::screening
