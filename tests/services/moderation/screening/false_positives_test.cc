// Numbers that look like personal data but are not: amounts, dates, times,
// order and file numbers, postal codes, versions, phone-like numbers of
// impossible lengths, and card numbers, IBANs and national identifiers whose
// check digits are wrong. None may be masked.
//
// Thresholds and why:
//   - look-alikes built to fail a check: 0 masked. Each one differs from a
//     valid number only in what the checks reject, so a single mask is a
//     bug, not noise.
//   - realistic community sentences full of numbers: at most 1% of
//     sentences with a mask (we expect none; the margin is for sentences
//     added later, a failure means a detector got looser).
//   - random numbers of valid length: reported, and bounded by what the
//     checks can do. A random 13-19-digit number is Luhn-valid one time in
//     10 and then looks exactly like a card of the scheme its prefix says;
//     a random 9-digit number passes the BSN 11-test about one time in 11.
//     Masking those is the intended trade-off (masking an order number costs
//     nothing, showing a card number is a breach), so the bound is the
//     theoretical rate plus a margin.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "services/moderation/screening/card_number_detector.h"
#include "tests/services/moderation/screening/screening_fixtures.h"
#include "tests/services/moderation/screening/test_corpus.h"

namespace agora::moderation::screening {
namespace {

using testing::Fill;
using testing::Random;

struct LookAlike {
  std::string category;
  std::string language;
  std::string text;
};

std::shared_ptr<const CompiledTenantRules> TenantFor(
    const std::string& language) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  if (language == "fr") config.countries = {"FR"};
  if (language == "it") config.countries = {"IT"};
  if (language == "pl") config.countries = {"PL"};
  if (language == "nl") config.countries = {"NL"};
  return testing::MustCompile(config);
}

std::string TwoDigits(uint64_t value) {
  return absl::StrFormat("%02d", static_cast<int>(value));
}

// The check digit of `digits` plus 1..9, so the number fails its check.
std::string WithWrongLastDigit(const std::string& digits, Random& random) {
  std::string wrong = digits;
  const int shift = 1 + static_cast<int>(random.Below(9));
  wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + shift) % 10);
  return wrong;
}

std::vector<LookAlike> CraftedLookAlikes() {
  Random random(7);
  std::vector<LookAlike> corpus;
  auto add = [&](const std::string& category, const std::string& language,
                 const std::string& sentence, const std::string& value) {
    corpus.push_back({category, language, Fill(sentence, value)});
  };
  const std::vector<std::pair<std::string, std::string>> contexts = {
      {"fr", "Bonjour, concernant {} je n’ai pas de réponse."},
      {"it", "Buongiorno, riguardo a {} non ho ricevuto risposta."},
      {"pl", "Dzień dobry, w sprawie {} nie dostałem odpowiedzi."},
      {"nl", "Hallo, over {} heb ik nog geen antwoord."},
  };
  for (int i = 0; i < 40; ++i) {
    const uint64_t a = 1 + random.Below(999);
    const uint64_t b = random.Below(1000);
    const uint64_t c = random.Below(100);
    const uint64_t day = 1 + random.Below(28);
    const uint64_t month = 1 + random.Below(12);
    const uint64_t year = 1990 + random.Below(40);
    for (const auto& [language, sentence] : contexts) {
      // Amounts, written the ways Europe writes them.
      add("amount", language, sentence,
          absl::StrFormat("%d %03d,%02d €", a, b, c));
      add("amount", language, sentence,
          absl::StrFormat("%d.%03d.%03d,%02d EUR", a, b, b, c));
      add("amount", language, sentence,
          absl::StrFormat("%d %03d %03d zł", a, b, b));
      add("amount", language, sentence,
          absl::StrFormat("€ %d.%03d,%02d", a, b, c));
      add("amount", language, sentence,
          absl::StrFormat("%d %03d %03d %03d,%02d €", a, b, b, b, c));
      // Dates and times.
      add("date", language, sentence,
          absl::StrCat(TwoDigits(day), "/", TwoDigits(month), "/", year));
      add("date", language, sentence,
          absl::StrCat(TwoDigits(day), ".", TwoDigits(month), ".", year,
                       " 14:30"));
      add("date", language, sentence,
          absl::StrCat(year, "-", TwoDigits(month), "-", TwoDigits(day)));
      add("date", language, sentence,
          absl::StrCat(TwoDigits(day), "-", TwoDigits(month), "-", year, " ",
                       TwoDigits(random.Below(24))));
      add("date", language, sentence,
          absl::StrCat(TwoDigits(day), " ", TwoDigits(month), " ", year));
      // Order, file and invoice numbers.
      add("order", language, sentence,
          absl::StrCat("CMD-", year, "-", random.Digits(6)));
      add("order", language, sentence, absl::StrCat("n° ", random.Digits(8)));
      add("order", language, sentence, absl::StrCat("#A", random.Digits(8)));
      add("order", language, sentence,
          absl::StrCat(year, "/", random.Digits(5)));
      add("order", language, sentence,
          absl::StrCat("FA-", year, "-", random.Digits(5)));
      // Phone-like numbers of impossible lengths.
      add("phone-like", language, sentence,
          absl::StrCat("06 ", TwoDigits(c), " ", TwoDigits(day), " ",
                       TwoDigits(month)));
      add("phone-like", language, sentence,
          absl::StrCat("06 12 ", TwoDigits(c), " ", TwoDigits(day), " ",
                       TwoDigits(month), " 9", random.Below(10)));
      add("phone-like", language, sentence,
          absl::StrCat("+33 6 12 ", TwoDigits(c), " ", TwoDigits(day)));
      add("phone-like", language, sentence,
          absl::StrCat("333 123 ", TwoDigits(c)));
      add("phone-like", language, sentence,
          absl::StrCat("600 123 ", TwoDigits(c)));
      if (language == "fr" || language == "nl") {
        // A 9-digit "06" number is a Rome landline in Italy.
        add("phone-like", language, sentence,
            absl::StrCat("06-", random.Digits(7)));
      }
      add("phone-like", language, sentence,
          absl::StrCat("+48 600 123 ", TwoDigits(c)));
      add("phone-like", language, sentence,
          absl::StrCat("0", random.Digits(5)));
      // Postal codes, versions, addresses.
      add("other", language, sentence,
          absl::StrCat(TwoDigits(day), "0", TwoDigits(c), " Paris"));
      add("other", language, sentence,
          absl::StrCat(TwoDigits(c), "-", random.Digits(3), " Warszawa"));
      add("other", language, sentence,
          absl::StrCat("v", a % 10, ".", b % 20, ".", c));
      add("other", language, sentence,
          absl::StrCat("192.168.", a % 256, ".", b % 256));
    }
  }
  // Card numbers failing Luhn, every scheme and writing. A 17-19-digit
  // number whose first 16 digits are a valid card reads as a card and its
  // security code and is masked on purpose: those are not look-alikes.
  for (const testing::CardBrand& brand : testing::CardBrands()) {
    for (int n = 0; n < 4; ++n) {
      std::string wrong;
      do {
        wrong = WithWrongLastDigit(testing::GenerateCardNumber(brand, random),
                                   random);
      } while (wrong.size() > 16 &&
               testing::LuhnDigit(wrong.substr(0, 15)) == wrong[15]);
      for (testing::Writing writing : testing::CardWritings()) {
        const auto& [language, sentence] = contexts[n % contexts.size()];
        add("card-bad-luhn", language, sentence,
            testing::WriteCard(wrong, writing));
      }
    }
  }
  // IBANs failing mod-97, every country.
  for (const testing::SepaCountry& country : testing::SepaCountries()) {
    for (int n = 0; n < 3; ++n) {
      std::string iban = testing::GenerateIban(country, random);
      const int check = std::stoi(iban.substr(2, 2));
      const int wrong =
          2 + (check - 2 + 1 + static_cast<int>(random.Below(96))) % 97;
      if (wrong == check) continue;
      iban.replace(2, 2, TwoDigits(static_cast<uint64_t>(wrong)));
      for (testing::Writing writing : testing::IbanWritings()) {
        const auto& [language, sentence] = contexts[n % contexts.size()];
        add("iban-bad-mod97", language, sentence,
            testing::WriteIban(iban, writing));
      }
    }
  }
  // National identifiers with a wrong key, check digit or letter.
  for (int n = 0; n < 40; ++n) {
    std::string nir = testing::GenerateNir(random, n % 5 == 0);
    const int key = std::stoi(nir.substr(13));
    nir.replace(13, 2, TwoDigits(static_cast<uint64_t>(key % 97 + 1)));
    add("nir-bad-key", "fr", contexts[0].second, nir);
    add("nir-bad-key", "fr", contexts[0].second,
        absl::StrCat(nir.substr(0, 1), " ", nir.substr(1, 2), " ",
                     nir.substr(3, 2), " ", nir.substr(5, 2), " ",
                     nir.substr(7, 3), " ", nir.substr(10, 3), " ",
                     nir.substr(13, 2)));
    add("pesel-bad-check", "pl", contexts[2].second,
        WithWrongLastDigit(testing::GeneratePesel(random), random));
    std::string bsn = testing::GenerateBsn(random);
    std::string wrong_bsn = WithWrongLastDigit(bsn, random);
    add("bsn-bad-check", "nl", contexts[3].second, wrong_bsn);
    std::string cf = testing::GenerateCodiceFiscale(random);
    cf.back() =
        static_cast<char>('A' + (cf.back() - 'A' + 1 + random.Below(25)) % 26);
    add("cf-bad-check", "it", contexts[1].second, cf);
    std::string dni = testing::GenerateDni(random);
    dni.back() = dni.back() == 'T' ? 'R' : 'T';
    add("dni-bad-letter", "fr", contexts[0].second, dni);
  }
  return corpus;
}

// Sentences members write, with the numbers banking talk is full of.
std::vector<LookAlike> RealisticSentences() {
  const std::vector<std::pair<std::string, std::vector<std::string>>> texts = {
      {"fr",
       {"Bonjour, j’ai été débité de 1 234,56 € le 12/03/2024 alors que mon "
        "solde était de 2 500 €.",
        "Le taux du livret A passe à 3 % au 1er février 2024.",
        "Mon prêt de 150 000 € sur 20 ans à 3,85 % : mensualité de 897,43 €.",
        "Commande n° 2024-0045871 livrée le 05.04.2024 à 14h30.",
        "L’agence du 12 rue de la Paix, 75002 Paris, ferme à 17h00 le "
        "samedi.",
        "J’ai appelé le 3639 (service 0,15 €/min) sans réponse.",
        "Version 4.12.3 de l’application : la connexion plante depuis le "
        "28/02.",
        "Frais de tenue de compte : 2,50 € par mois, soit 30 € par an.",
        "Plafond de paiement relevé à 3 000 € sur 30 jours glissants.",
        "Le virement de 12 345,67 € a été reçu le 2024-03-15.",
        "Dossier 2023/11/000452 en cours depuis 45 jours.",
        "J’ai 2 comptes et 3 cartes, dont une Visa Premier depuis 2015.",
        "Le distributeur de la place Bellecour a avalé ma carte à 22h15.",
        "Facture FA-2024-00123 de 89,90 € TTC.",
        "Taux d’endettement de 33 % sur un revenu de 3 200 €/mois.",
        "Entre le 01/01/2024 et le 31/03/2024 j’ai payé 124 € de frais.",
        "Le SIREN de mon entreprise est 732 829 320 et son SIRET "
        "732 829 320 00074.",
        "Cours de l’action : 58,42 € (+1,25 %) le 14.03.2024.",
        "En 2023, 12 500 clients ont ouvert un compte en ligne.",
        "Assurance habitation : 18,90 €/mois pour 65 m² au 3e étage.",
        "Le prélèvement SEPA du 05/04 (1 245,00 €) a été rejeté.",
        "Code de la réclamation : 2024-REC-000451, délai 10 jours ouvrés.",
        "Mon conseiller m’a rappelé à 9h45 : dossier 45871 validé.",
        "Frais à l’étranger : 2 % + 0,35 € par paiement hors zone euro."}},
      {"it",
       {"Buongiorno, mi hanno addebitato 1.234,56 € il 12/03/2024.",
        "Il mutuo di 180.000 € a 25 anni ha una rata di 845,20 €.",
        "Ordine n. 2024/004512 consegnato il 05.04.2024 alle 14:30.",
        "La filiale di via Roma 12, 20121 Milano, chiude alle 16:30.",
        "Versione 3.8.1 dell’app: errore 502 al login.",
        "Canone mensile di 4,90 € dal 1° gennaio 2024.",
        "Ho prelevato 250 € allo sportello alle 21:45.",
        "Pratica numero 45/2023 ancora aperta dopo 60 giorni.",
        "Tasso fisso al 3,45% per 20 anni, TAEG 3,72%.",
        "Il bonifico di 2.500,00 € è stato accreditato il 2024-03-15.",
        "Ho 3 carte e 2 conti, aperti nel 2018 e nel 2021.",
        "Il limite di spesa è 1.500 € al mese, 500 € al giorno.",
        "Reclamo 2024-RC-00781 inviato il 03/03, nessuna risposta.",
        "Commissione dell’1,5% su ogni prelievo all’estero."}},
      {"pl",
       {"Dzień dobry, obciążono mnie kwotą 1 234,56 zł w dniu 12.03.2024.",
        "Kredyt 300 000 zł na 25 lat, rata 1 845,20 zł.",
        "Zamówienie nr 123456/2024 dostarczono 05.04.2024 o 14:30.",
        "Oddział przy ul. Marszałkowskiej 10, 00-950 Warszawa, czynny do "
        "18:00.",
        "Wersja 2.14.0 aplikacji: błąd 503 przy logowaniu.",
        "Opłata za kartę 7 zł miesięcznie od 1 stycznia 2024.",
        "Wypłaciłem 500 zł z bankomatu o 22:15.",
        "Reklamacja nr RK/2024/0045 rozpatrywana 30 dni.",
        "Oprocentowanie 7,45% w skali roku, RRSO 8,12%.",
        "Przelew 2 500,00 zł zaksięgowano 2024-03-15.",
        "Limit na karcie to 5 000 zł, a dzienny 2 000 zł.",
        "Mam 2 konta od 2016 roku i 1 kartę kredytową.",
        "Lokata 6 miesięcy na 5,5% od kwoty 10 000 zł.",
        "Prowizja 3% za wypłatę za granicą, minimum 10 zł."}},
      {"nl",
       {"Hallo, er is op 12-03-2024 € 1.234,56 afgeschreven.",
        "Hypotheek van € 350.000 over 30 jaar, maandlast € 1.545,20.",
        "Bestelling 2024-004512 geleverd op 05-04-2024 om 14:30.",
        "Het kantoor aan de Damrak 1, 1012 LG Amsterdam, sluit om 17:00.",
        "Versie 5.2.1 van de app geeft foutcode 500.",
        "Kosten betaalpakket € 3,25 per maand vanaf 1 januari 2024.",
        "Ik heb € 200 gepind om 21:45.",
        "Klachtnummer 2024/0045 staat al 14 dagen open.",
        "Rente 2,75% vast voor 10 jaar.",
        "De overboeking van € 2.500,00 is op 2024-03-15 bijgeschreven.",
        "Mijn limiet is € 2.500 per dag en € 10.000 per maand.",
        "Sinds 2019 heb ik 2 rekeningen en 1 creditcard.",
        "Spaarrente 1,5% tot € 100.000, daarboven 0,5%.",
        "Transactiekosten € 0,15 per betaling buiten de eurozone."}},
  };
  std::vector<LookAlike> corpus;
  for (const auto& [language, sentences] : texts) {
    for (const std::string& sentence : sentences) {
      corpus.push_back({"realistic", language, sentence});
    }
  }
  return corpus;
}

struct Tally {
  int total = 0;
  int masked = 0;
};

// Screens every entry with its language's tenant; returns the masked count
// and reports each false positive.
Tally ScreenAll(const std::vector<LookAlike>& corpus,
                std::map<std::string, Tally>* by_category) {
  std::map<std::string, std::shared_ptr<const CompiledTenantRules>> tenants;
  Tally tally;
  for (const LookAlike& entry : corpus) {
    auto& tenant = tenants[entry.language];
    if (tenant == nullptr) tenant = TenantFor(entry.language);
    testing::ScreenOptions options;
    options.language = entry.language;
    const ScreeningResult result =
        testing::ScreenBody(*tenant, entry.text, options);
    const std::vector<Finding> masked = testing::MaskedFindings(result);
    Tally& category = (*by_category)[entry.category];
    ++category.total;
    ++tally.total;
    if (!masked.empty() || result.masked_texts[0].text != entry.text) {
      ++category.masked;
      ++tally.masked;
      ADD_FAILURE() << "false positive (" << entry.category << ", "
                    << FindingTypeName(masked.front().type)
                    << "): " << entry.text << "\n  -> "
                    << result.masked_texts[0].text;
    }
  }
  return tally;
}

void Print(const std::string& title, const Tally& tally,
           const std::map<std::string, Tally>& by_category) {
  std::cout << absl::StrFormat("[ false positives ] %s: %d/%d = %.2f%%\n",
                               title, tally.masked, tally.total,
                               100.0 * tally.masked / tally.total);
  for (const auto& [category, t] : by_category) {
    std::cout << absl::StrFormat("    %-16s %d/%d\n", category, t.masked,
                                 t.total);
  }
}

TEST(FalsePositivesTest, CraftedLookAlikesAreNeverMasked) {
  std::map<std::string, Tally> by_category;
  const Tally tally = ScreenAll(CraftedLookAlikes(), &by_category);
  Print("crafted look-alikes", tally, by_category);
  EXPECT_GT(tally.total, 3000);
  EXPECT_EQ(tally.masked, 0);
}

TEST(FalsePositivesTest, RealisticSentencesStayBelowOnePercent) {
  std::map<std::string, Tally> by_category;
  const Tally tally = ScreenAll(RealisticSentences(), &by_category);
  Print("realistic sentences", tally, by_category);
  EXPECT_LE(100.0 * tally.masked / tally.total, 1.0);
}

// Random numbers of a length personal data has: masking some is the
// intended trade-off; the rate is reported and bounded by theory.
TEST(FalsePositivesTest, RandomNumbersCollideAtTheRateTheChecksAllow) {
  Random random(99);
  const auto french = TenantFor("fr");
  const auto dutch = TenantFor("nl");
  constexpr int kSamples = 4000;

  int long_masked = 0;
  int with_prefix = 0;
  std::map<std::string, int> by_type;
  for (int i = 0; i < kSamples; ++i) {
    const size_t length = 13 + random.Below(7);
    const std::string number =
        absl::StrCat(1 + random.Below(9), random.Digits(length - 1));
    if (HasCardIssuerPrefix(number)) ++with_prefix;
    const ScreeningResult result =
        testing::ScreenBody(*french, Fill("Référence {} à rappeler.", number));
    const std::vector<Finding> masked = testing::MaskedFindings(result);
    if (!masked.empty()) {
      ++long_masked;
      ++by_type[std::string(FindingTypeName(masked[0].type))];
    }
  }
  for (const auto& [type, count] : by_type) {
    std::cout << "    " << type << ": " << count << "\n";
  }
  // Luhn passes 1 in 10 of the numbers that have an issuer prefix.
  const double expected = 0.1 * with_prefix / kSamples;
  const double long_rate = static_cast<double>(long_masked) / kSamples;
  std::cout << absl::StrFormat(
      "[ false positives ] random 13-19-digit numbers masked: %d/%d = "
      "%.2f%% (issuer prefix on %.1f%%, so Luhn alone predicts %.2f%%)\n",
      long_masked, kSamples, 100 * long_rate, 100.0 * with_prefix / kSamples,
      100 * expected);
  EXPECT_LE(long_rate, expected + 0.015);

  int nine_masked = 0;
  for (int i = 0; i < kSamples; ++i) {
    const std::string number =
        absl::StrCat(1 + random.Below(9), random.Digits(8));
    const ScreeningResult result = testing::ScreenBody(
        *dutch, Fill("Referentie {} graag.", number), {3, false, "nl"});
    if (!testing::MaskedFindings(result).empty()) ++nine_masked;
  }
  const double nine_rate = static_cast<double>(nine_masked) / kSamples;
  std::cout << absl::StrFormat(
      "[ false positives ] random 9-digit numbers in a Dutch tenant masked "
      "(BSN 11-test): %d/%d = %.2f%% (theory: 1/11 = 9.09%%)\n",
      nine_masked, kSamples, 100 * nine_rate);
  EXPECT_LE(nine_rate, 1.0 / 11 + 0.015);

  int nine_masked_fr = 0;
  for (int i = 0; i < kSamples; ++i) {
    const std::string number =
        absl::StrCat(1 + random.Below(9), random.Digits(8));
    const ScreeningResult result =
        testing::ScreenBody(*french, Fill("Référence {} à rappeler.", number));
    if (!testing::MaskedFindings(result).empty()) ++nine_masked_fr;
  }
  std::cout << absl::StrFormat(
      "[ false positives ] random 9-digit numbers in a French tenant masked: "
      "%d/%d\n",
      nine_masked_fr, kSamples);
  EXPECT_EQ(nine_masked_fr, 0);
}

}  // namespace
}  // namespace agora::moderation::screening
