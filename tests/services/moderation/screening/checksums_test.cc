// Check-digit algorithms against published examples and their mutations.
#include "services/moderation/screening/checksums.h"

#include "gtest/gtest.h"
#include "services/moderation/screening/card_number_detector.h"
#include "services/moderation/screening/iban_countries.h"

namespace agora::moderation::screening {
namespace {

TEST(ChecksumsTest, Luhn) {
  // Schemes' published test numbers.
  for (const char* number :
       {"4111111111111111", "5555555555554444", "378282246310005",
        "6011111111111117", "3530111333300000", "30569309025904",
        "4012888888881881", "2223003122003222"}) {
    EXPECT_TRUE(LuhnValid(number)) << number;
    EXPECT_TRUE(HasCardIssuerPrefix(number)) << number;
  }
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("4111-1111"));
  EXPECT_EQ(LuhnCheckDigit("411111111111111"), 1);
  EXPECT_EQ(LuhnCheckDigit("7992739871"), 3);
}

TEST(ChecksumsTest, IssuerPrefixesNeedTheSchemesLength) {
  EXPECT_TRUE(HasCardIssuerPrefix("4111111111111"));    // Visa 13
  EXPECT_FALSE(HasCardIssuerPrefix("41111111111111"));  // Visa 14: no
  EXPECT_FALSE(
      HasCardIssuerPrefix("371449635398431"
                          "0"));                          // Amex 16: no
  EXPECT_FALSE(HasCardIssuerPrefix("1234567812345670"));  // no scheme 1
  EXPECT_FALSE(
      HasCardIssuerPrefix("2720991234567890"
                          "1"));  // MC 17: no
  EXPECT_TRUE(HasCardIssuerPrefix("2720991234567890"));
  EXPECT_FALSE(HasCardIssuerPrefix("2721001234567890"));  // past MC range
}

TEST(ChecksumsTest, IbanMod97) {
  for (const char* iban :
       {"FR1420041010050500013M02606", "DE89370400440532013000",
        "GB82WEST12345698765432", "NL91ABNA0417164300",
        "IT60X0542811101000000123456", "PL61109010140000071219812874",
        "ES9121000418450200051332", "BE68539007547034", "NO9386011117947",
        "MT84MALT011000012345MTLCAST001S", "fr1420041010050500013m02606"}) {
    EXPECT_EQ(IbanMod97(iban), 1) << iban;
  }
  EXPECT_NE(IbanMod97("FR1520041010050500013M02606"), 1);
  EXPECT_EQ(IbanMod97("FR14 2004"), -1);
  EXPECT_EQ(IbanCheckDigits("DE", "370400440532013000"), 89);
  EXPECT_EQ(IbanCheckDigits("GB", "WEST12345698765432"), 82);
}

TEST(ChecksumsTest, EverySepaCountryHasAFormat) {
  int countries = 0;
  for (absl::string_view code :
       {"AD", "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE",
        "ES", "FI", "FR", "GB", "GI", "GR", "HR", "HU", "IE", "IS", "IT",
        "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO",
        "PL", "PT", "RO", "SE", "SI", "SK", "SM", "VA"}) {
    const IbanCountry* country = FindIbanCountry(code);
    ASSERT_NE(country, nullptr) << code;
    ++countries;
  }
  EXPECT_EQ(countries, 41);
  EXPECT_EQ(FindIbanCountry("US"), nullptr);
  EXPECT_TRUE(MatchesBbanFormat("30006000011234567890189", "5n5n11c2n"));
  EXPECT_FALSE(MatchesBbanFormat("3000600001123456789018", "5n5n11c2n"));
  EXPECT_FALSE(MatchesBbanFormat("ABNA041716430X", "4a10n"));
}

TEST(ChecksumsTest, FrenchNirKey) {
  // 97 - (1550814168025 mod 97).
  EXPECT_EQ(NirKey("1550814168025"), 88);
  EXPECT_EQ(NirKey("2690299341732"), 85);
  // Corsica: 2A counts as 19, 2B as 18.
  EXPECT_EQ(NirKey("1840119001001"), 97 - 1840119001001ull % 97);
  EXPECT_EQ(NirKey("18401"
                   "2A"
                   "001001"),
            NirKey("1840119001001"));
  EXPECT_EQ(NirKey("18401"
                   "2b"
                   "001001"),
            NirKey("1840118001001"));
  EXPECT_EQ(NirKey("155081416802"), -1);
}

TEST(ChecksumsTest, CodiceFiscaleCheckCharacter) {
  EXPECT_EQ(CodiceFiscaleCheckCharacter("RSSMRA85T10A562"), 'S');
  EXPECT_EQ(CodiceFiscaleCheckCharacter("MRTMTT25D09F205"), 'Z');
  EXPECT_EQ(CodiceFiscaleCheckCharacter("rssmra85t10a562"), '\0');
}

TEST(ChecksumsTest, Pesel) {
  EXPECT_TRUE(PeselValid("44051401359"));
  EXPECT_TRUE(PeselValid("02070803628"));
  EXPECT_FALSE(PeselValid("44051401358"));
  EXPECT_FALSE(PeselValid("4405140135"));
}

TEST(ChecksumsTest, Bsn) {
  EXPECT_TRUE(BsnValid("111222333"));
  EXPECT_TRUE(BsnValid("123456782"));
  EXPECT_FALSE(BsnValid("123456789"));
  EXPECT_FALSE(BsnValid("000000000"));
}

TEST(ChecksumsTest, DniLetter) {
  EXPECT_EQ(DniLetter(12345678), 'Z');
  EXPECT_EQ(DniLetter(1234567), 'L');  // NIE X1234567L
  EXPECT_EQ(DniLetter(0), 'T');
}

}  // namespace
}  // namespace agora::moderation::screening
