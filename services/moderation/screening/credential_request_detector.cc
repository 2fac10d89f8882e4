#include "services/moderation/screening/credential_request_detector.h"

#include <string>

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {
namespace {

// Credentials, per language, folded (no accents, lowercase).
constexpr absl::string_view kFrenchNoun =
    R"((?:codes?(?:\s+(?:pin|secret|confidentiel|sms|otp|d'acces|de\s+(?:verification|validation|confirmation|securite|connexion)|a\s+usage\s+unique|recus?(?:\s+par\s+sms)?))?|mots?\s+de\s+passe|mdp|identifiants?(?:\s+de\s+connexion)?|pin|cryptogramme|cvv|cvc|otp))";
constexpr absl::string_view kEnglishNoun =
    R"((?:one[- ]time\s+(?:pass)?code|otp(?:\s+code)?|(?:verification|security|sms|access|login|auth(?:entication)?|confirmation|2fa|secret)\s+code|codes?|passwords?|passcodes?|passwd|pin(?:\s+(?:code|number))?|cvv|cvc|security\s+number|login\s+details|credentials))";
constexpr absl::string_view kItalianNoun =
    R"((?:codic[ei](?:\s+(?:otp|sms|pin|segreto|di\s+(?:verifica|sicurezza|accesso|conferma|autorizzazione|autenticazione)|ricevuto(?:\s+(?:via|per)\s+sms)?))?|otp|password|passcode|pin|credenziali(?:\s+di\s+accesso)?|cvv|cvc))";
constexpr absl::string_view kPolishNoun =
    R"((?:kod(?:u|em|y)?(?:\s+(?:sms|blik|pin|weryfikacyjn\w*|autoryzacyjn\w*|jednorazow\w*|dostepu|z\s+smsa?|potwierdzajac\w*))?|hasl(?:o|a|em)|pin(?:u|em)?|blik(?:a)?|dane\s+(?:do\s+)?logowania|cvv|cvc))";
constexpr absl::string_view kDutchNoun =
    R"((?:sms[- ]?code|verificatiecode|beveiligingscode|inlogcode|toegangscode|activatiecode|eenmalige\s+code|code|wachtwoord|pincode|pin|inloggegevens|cvc|cvv))";
constexpr absl::string_view kSpanishNoun =
    R"((?:codigos?(?:\s+(?:sms|otp|pin|de\s+(?:verificacion|seguridad|acceso|confirmacion|autorizacion)|recibido(?:\s+por\s+sms)?))?|claves?(?:\s+(?:de\s+acceso|sms|otp|de\s+firma))?|contrasenas?|otp|pin|cvv|cvc|credenciales))";

// A value as typed after "is": one token containing a digit.
constexpr absl::string_view kValue = R"(\s*\S*\d)";

// The phrases; {N} is the language's credential noun.
struct Phrase {
  absl::string_view noun;
  absl::string_view pattern;
};

constexpr Phrase kPhrases[] =
    {
        // French.
        {kFrenchNoun,
         R"(\b(?:envoie|envoies|envoyez|envoyer|renvoie|renvoyez|donne|donnez|donner|redonne|redonnez|communique|communiquez|communiquer|transmets|transmettez|transmettre|indique|indiquez|indiquer|dis|dites|confirme|confirmez|confirmer|ecris|ecrivez|partage|partagez|partager|fournis|fournissez|fournir|rappelle|rappelez|dicte|dictez|file|filez|balance|balancez)(?:(?:\s*-\s*|\s+)(?:moi|nous))?(?:\s+(?:en|par)\s+(?:mp|prive|message(?:\s+prive)?|dm|sms|mail|e-mail|email))?(?:\s+(?:ici|vite|rapidement|svp))?\s+(?:(?:votre|vos|ton|ta|tes|le|la|les|du)\s+|l')(?:{N})\b)"},
        {kFrenchNoun,
         R"(\b(?:quel(?:le)?s?\s+(?:est|sont)|c'est\s+quoi)\s+(?:votre|vos|ton|ta|tes|le|la)\s+(?:{N})\b)"},
        {kFrenchNoun, R"(\b(?:mon|ma|mes)\s+(?:{N})\s*(?:est|c'est|:|=){V})"},
        {kFrenchNoun, R"(\bvoici\s+(?:mon|ma|mes|le|la|les)\s+(?:{N})\b)"},
        // English.
        {kEnglishNoun,
         R"(\b(?:send|give|tell|share|provide|confirm|text|dm|email|e-mail|forward)(?:\s+(?:me|us))?(?:\s+(?:back|here|now|quickly|asap|privately|in\s+(?:a\s+)?(?:dm|pm|private)))?\s+(?:your|ur|yr|the)\s+(?:{N})\b)"},
        {kEnglishNoun,
         R"(\bwhat(?:'s|\s+is|\s+was)\s+(?:your|ur)\s+(?:{N})\b)"},
        {kEnglishNoun, R"(\bmy\s+(?:{N})\s*(?:is|was|:|=){V})"},
        {kEnglishNoun, R"(\bhere(?:'s|\s+is)\s+my\s+(?:{N})\b)"},
        // Italian.
        {kItalianNoun,
         R"(\b(?:inviami|invia|inviaci|inviatemi|inviare|mandami|manda|mandaci|mandatemi|mandare|dammi|dacci|datemi|dare|dimmi|ditemi|dire|comunicami|comunica|comunicatemi|comunicare|forniscimi|fornisci|fornitemi|fornire|indicami|indicatemi|indicare|scrivimi|scrivetemi|confermami|conferma|confermatemi|condividi|condividere|girami|passami|dettami)(?:\s+(?:pure|subito|qui|in\s+privato|via\s+sms|per\s+sms))?\s+(?:(?:il|la|i|le|lo)\s+|l')?(?:(?:tuo|tua|tuoi|tue|vostro|vostra|suo|sua)\s+)?(?:{N})\b)"},
        {kItalianNoun,
         R"(\bqual\s*(?:'|\s)?e\s+(?:il|la)\s+(?:tuo|tua|vostro|vostra|suo|sua)\s+(?:{N})\b)"},
        {kItalianNoun,
         R"(\b(?:il\s+mio|la\s+mia|i\s+miei|mio|mia)\s+(?:{N})\s*(?:e|:|=){V})"},
        // Polish.
        {kPolishNoun,
         R"(\b(?:podaj|podajcie|wyslij|wyslijcie|przeslij|przeslijcie|napisz|napiszcie|powiedz|powiedzcie|daj|dajcie|przekaz|przekazcie|udostepnij|udostepnijcie|potwierdz|potwierdzcie|prosze\s+o|prosimy\s+o|podac|przeslac|wyslac|podyktuj)(?:\s+(?:mi|nam))?(?:\s+(?:prosze|szybko|tutaj|na\s+priv|na\s+pw|w\s+wiadomosci))?\s+(?:(?:swoj|swoje|swoja|swojego|twoj|twoje|twoja|twojego|pana|pani|wasz|wasze|ten|to)\s+)?(?:{N})\b)"},
        {kPolishNoun,
         R"(\bjak(?:i|ie)\s+(?:jest|ma)\s+(?:twoj|twoje|pana|pani|wasz|wasze)\s+(?:{N})\b)"},
        {kPolishNoun, R"(\b(?:moj|moje|moja)\s+(?:{N})\s*(?:to|jest|:|=){V})"},
        // Dutch.
        {kDutchNoun,
         R"(\b(?:stuur|stuurt|geef|geeft|vertel|deel|mail|app|sms|noem|bevestig|zend|sturen|geven|doorgeven|doorsturen|delen)(?:\s+(?:me|mij|ons))?(?:\s+(?:even|snel|nu|hier|graag|prive))?\s+(?:je|jouw|uw|de|het)\s+(?:{N})\b)"},
        {kDutchNoun,
         R"(\b(?:je|jouw|uw)\s+(?:{N})(?:\s+(?:even|snel|nu|graag|hier))?\s+(?:doorgeven|doorsturen|sturen|geven|delen|opsturen|smsen|mailen|appen)\b)"},
        {kDutchNoun, R"(\bwat\s+is\s+(?:je|jouw|uw)\s+(?:{N})\b)"},
        {kDutchNoun, R"(\bmijn\s+(?:{N})\s*(?:is|:|=){V})"},
        // Spanish.
        {kSpanishNoun,
         R"(\b(?:enviame|envianos|envia|enviadme|enviad|envieme|envie|enviar|mandame|mandanos|manda|mandadme|mandad|mandar|dame|danos|dadme|dad|dime|decidme|digame|decir|comunicame|comunica|comunicar|facilitame|facilita|facilitar|proporcioname|proporciona|proporcionar|indicame|indica|indicar|pasame|pasa|pasar|escribeme|escribe|confirmame|confirma|confirmar|comparte|compartir|dictame|dicta)(?:\s+(?:por\s+(?:privado|sms|mensaje)|aqui|ya|rapido))?\s+(?:(?:tu|tus|su|sus|el|la|los|las|vuestro|vuestra)\s+)?(?:{N})\b)"},
        {kSpanishNoun,
         R"(\bcual(?:es)?\s+(?:es|son)\s+(?:tu|tus|su|sus|vuestro|vuestra)\s+(?:{N})\b)"},
        {kSpanishNoun, R"(\bmi\s+(?:{N})\s*(?:es|:|=){V})"},
        // Any language: a secret followed by its value.
        {"",
         R"(\b(?:otp|pin|pincode|cvv|cvc|passwords?|mot\s+de\s+passe|mdp|hasl[oa]|wachtwoord|contrasena|kod\s+(?:sms|blik)|code\s+sms|codice\s+(?:otp|sms))\s*(?:is|est|e|to|es|jest|:|=)?\s*\d{4,8}\b)"},
};

// Words after a bare "code" that make it something other than a secret.
constexpr absl::string_view kNonSecretCodes[] = {
    // fr
    "promo", "promotionnel", "postal", "source", "parrainage", "de parrainage",
    "reduction", "de reduction", "avantage", "client", "guichet", "banque",
    "iban", "bic", "swift", "erreur", "d'erreur", "de la route", "civil",
    "du travail", "barre", "barres", "qr", "couleur", "cadeau", "remise",
    "porte", "portail", "d'entree", "de l'immeuble", "wifi", "wi-fi", "naf",
    "ape", "de conduite", "commercial", "produit", "article",
    // en
    "promotional", "discount", "referral", "coupon", "zip", "post", "error",
    "sort", "dress", "of conduct", "bar", "gift", "voucher", "area", "country",
    "tracking", "review",
    // it
    "fiscale", "fiscali", "sconto", "promozionale", "postale", "avviamento",
    "sorgente", "errore", "cliente", "regalo", "a barre", "della strada",
    "civile", "ateco",
    // pl
    "pocztowy", "rabatowy", "promocyjny", "zrodlowy", "bledu", "kreskowy",
    "klienta",
    // nl
    "van de", "voor korting",
    // es
    "promocional", "de descuento", "descuento", "fuente", "de error",
    "de barras", "penal", "de circulacion", "del", "de la", "para"};

// Nouns ambiguous enough to need the check above.
constexpr absl::string_view kBareCodeWords[] = {
    "code",  "codes", "codice", "codici",  "kod",   "kodu",
    "kodem", "kody",  "codigo", "codigos", "clave", "claves"};

// Negations that turn a request into a warning when they precede the verb
// in the same clause.
constexpr absl::string_view kNegations[] = {
    "ne",    "n",   "jamais", "pas",   "never", "not",    "dont",
    "don't", "non", "mai",    "nie",   "nigdy", "niet",   "nooit",
    "geen",  "no",  "nunca",  "jamas", "ni",    "nikomu", "personne"};

std::string BuildPattern() {
  std::vector<std::string> alternatives;
  for (const Phrase& phrase : kPhrases) {
    alternatives.push_back(absl::StrReplaceAll(
        phrase.pattern, {{"{N}", phrase.noun}, {"{V}", kValue}}));
  }
  return absl::StrCat("(?:", absl::StrJoin(alternatives, ")|(?:"), ")");
}

// The last word of text[begin, end).
absl::string_view LastWord(absl::string_view text, size_t begin, size_t end) {
  size_t start = end;
  while (start > begin && (IsAsciiLower(text[start - 1]))) --start;
  return text.substr(start, end - start);
}

bool IsBareCodeWord(absl::string_view word) {
  for (absl::string_view code : kBareCodeWords) {
    if (word == code) return true;
  }
  return false;
}

// True when the words right after `end` make a bare "code" harmless.
bool FollowedByNonSecretQualifier(absl::string_view text, size_t end) {
  absl::string_view after = text.substr(end);
  while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  for (absl::string_view qualifier : kNonSecretCodes) {
    if (absl::StartsWith(after, qualifier) &&
        (after.size() == qualifier.size() ||
         !IsAsciiAlnum(after[qualifier.size()]))) {
      return true;
    }
  }
  return false;
}

// True when one of the three words before `begin`, in the same clause, is a
// negation.
bool NegatedBefore(absl::string_view text, size_t begin) {
  size_t pos = begin;
  for (int words = 0; words < 3; ++words) {
    while (pos > 0 && (text[pos - 1] == ' ' || text[pos - 1] == '-')) --pos;
    if (pos == 0) return false;
    const size_t end = pos;
    while (pos > 0 && (IsAsciiLower(text[pos - 1]) || text[pos - 1] == '\'')) {
      --pos;
    }
    if (pos == end) return false;  // punctuation: the clause starts here
    absl::string_view word = text.substr(pos, end - pos);
    if (absl::EndsWith(word, "'") && word.size() > 1 &&
        word.substr(0, word.size() - 1) == "n") {
      return true;  // "n'envoyez"
    }
    for (absl::string_view negation : kNegations) {
      if (word == negation) return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CredentialRequestDetector>>
CredentialRequestDetector::Create() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  auto phrases = std::make_unique<RE2>(BuildPattern(), options);
  if (!phrases->ok()) {
    return absl::InternalError(
        absl::StrCat("credential phrases: ", phrases->error()));
  }
  return absl::WrapUnique(new CredentialRequestDetector(std::move(phrases)));
}

void CredentialRequestDetector::Find(absl::string_view folded,
                                     std::vector<Detection>* out) const {
  const re2::StringPiece text(folded.data(), folded.size());
  size_t pos = 0;
  re2::StringPiece match;
  while (pos < folded.size() && phrases_->Match(text, pos, folded.size(),
                                                RE2::UNANCHORED, &match, 1)) {
    const size_t begin = static_cast<size_t>(match.data() - folded.data());
    const size_t end = begin + match.size();
    pos = end > begin ? end : begin + 1;
    if (IsBareCodeWord(LastWord(folded, begin, end)) &&
        FollowedByNonSecretQualifier(folded, end)) {
      continue;
    }
    if (NegatedBefore(folded, begin)) continue;
    Detection detection;
    detection.begin = begin;
    detection.end = end;
    detection.type = FindingType::kCredentialRequest;
    detection.rule = kCredentialRequestRule;
    out->push_back(std::move(detection));
  }
}

}  // namespace agora::moderation::screening
