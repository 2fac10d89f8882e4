#include "services/moderation/screening/staff_impersonation_detector.h"

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/code_point_folding.h"

namespace agora::moderation::screening {
namespace {

// {B}: the bank, generically or by one of the staff names.
constexpr absl::string_view kBank =
    R"((?:(?:la\s+banque|votre\s+banque|the\s+bank|your\s+bank|la\s+banca|banca|banku|de\s+bank|el\s+banco|banco|la\s+entidad)\b{NAMES}))";

// Generic names of the bank's customer service, used as signatures.
constexpr absl::string_view kService =
    R"((?:(?:support|service\s+client(?:s|ele)?|customer\s+(?:service|support)|assistenza\s+clienti|servizio\s+clienti|obsluga\s+klienta|klantenservice|atencion\s+al\s+cliente)\b{NAMES}))";

// Up to 40 characters of the same clause.
constexpr absl::string_view kGap = R"([^.!?,;\n]{0,40}?)";

// After "this is customer service": the end of the clause or the bank's
// name, so that "this is customer service at its worst" is not a claim.
constexpr absl::string_view kClaimEnd =
    R"((?:\s*(?:[,.!:;\n]|$)|\s+(?:of|from|at|de|du|des|di|della|del|z|van|bij|w)\s+{B}))";

constexpr absl::string_view kPhrases[] = {
    // French.
    R"(\bje\s+suis\s+(?:un\s+|une\s+|le\s+|la\s+)?(?:conseiller|conseillere|employe|employee|salarie|salariee|agent|gestionnaire|charge\s+de\s+clientele|chargee\s+de\s+clientele|responsable|directeur|directrice|technicien|technicienne|operateur|operatrice|banquier|banquiere)\b{G}\b(?:chez\s+{B}|de\s+l'agence|en\s+agence|du\s+service\s+client|du\s+support|de\s+{B}|a\s+{B}|{B}))",
    R"(\bje\s+suis\s+(?:votre|ton|ta)\s+(?:conseiller|conseillere|gestionnaire|charge\s+de\s+clientele|chargee\s+de\s+clientele|banquier|banquiere)\b)",
    R"(\bje\s+travaille\s+(?:chez|pour|a|au|dans)\s+(?:{B}|l'agence|le\s+service\s+client|le\s+support))",
    R"(\bici\s+(?:le\s+|l')?(?:{S}|equipe\s+{S}){E})",
    R"(\bde\s+la\s+part\s+(?:de\s+|du\s+|d')?(?:l'equipe\s+)?(?:{S}|{B}))",
    R"(\ben\s+tant\s+que\s+(?:conseiller|conseillere|employe|employee|agent)\s+(?:de\s+|chez\s+)?{B})",
    // English.
    R"(\bi\s*(?:am|'m)\s+(?:a|an|the)\s+(?:bank\s+)?(?:advis[eo]r|employee|agent|representative|staff\s+member|account\s+manager|relationship\s+manager|support\s+agent|officer)\b{G}\b(?:at|of|from|for|with|in)\s+(?:{B}|customer\s+service|support))",
    R"(\bi\s*(?:am|'m)\s+(?:a|an)\s+bank\s+(?:advis[eo]r|employee|agent|representative|officer)\b)",
    R"(\bi\s*(?:am|'m)\s+your\s+(?:bank\s+)?(?:advis[eo]r|account\s+manager|relationship\s+manager|banker)\b)",
    R"(\bi\s+work\s+(?:for|at|in)\s+{B})",
    R"(\b(?:this\s+is|here\s+is|you\s+are\s+talking\s+to)\s+(?:the\s+)?(?:{S}|support\s+team|fraud\s+(?:team|department)|security\s+team|{B}){E})",
    R"(\bon\s+behalf\s+of\s+{B})",
    R"(\bofficial\s+(?:support|account|representative)\b)",
    // Italian.
    R"(\bsono\s+(?:un\s+|una\s+|il\s+|la\s+|l')?(?:consulente|operatore|operatrice|dipendente|impiegato|impiegata|addetto|addetta|gestore|funzionario|funzionaria)\b{G}\b(?:di|della|del|presso|in)\s+(?:{B}|filiale|assistenza|servizio\s+clienti))",
    R"(\bsono\s+(?:il\s+tuo|la\s+tua|il\s+vostro|la\s+vostra|il\s+suo|la\s+sua)\s+(?:consulente|gestore|operatore|operatrice)\b)",
    R"(\blavoro\s+(?:per|presso|in|alla|nella)\s+(?:{B}|filiale))",
    R"(\b(?:qui\s+e|vi\s+scrive|ti\s+scrive|le\s+scrive)\s+(?:il\s+|l')?(?:{S}|supporto|{B}){E})",
    // Polish.
    R"(\bjestem\s+(?:pracownikiem|pracownica|konsultantem|konsultantka|doradca|doradczynia|przedstawicielem|przedstawicielka|opiekunem|opiekunka)\b{G}\b(?:{B}|dzialu\s+obslugi|infolinii))",
    R"(\bjestem\s+(?:twoim|twoja|pana|pani)\s+(?:doradca|opiekunem|opiekunka|konsultantem|konsultantka)\b)",
    R"(\bpracuje\s+w\s+(?:{B}|dziale\s+obslugi|infolinii))",
    R"(\b(?:tu|z\s+tej\s+strony|pisze)\s+(?:{S}|dzial\s+obslugi\s+klienta|konsultant|{B}){E})",
    // Dutch.
    R"(\bik\s+ben\s+(?:een\s+)?(?:medewerker|medewerkster|adviseur|adviseuse|bankmedewerker|klantadviseur|accountmanager)\b{G}\b(?:bij|van)\s+(?:{B}|de\s+klantenservice))",
    R"(\bik\s+ben\s+(?:uw|je|jouw)\s+(?:adviseur|adviseuse|accountmanager|bankmedewerker|klantadviseur)\b)",
    R"(\bik\s+werk\s+(?:bij|voor)\s+(?:{B}|de\s+klantenservice))",
    R"(\b(?:u\s+spreekt\s+met|je\s+spreekt\s+met|hier\s+is)\s+(?:de\s+)?(?:{S}|helpdesk|{B}){E})",
    R"(\bnamens\s+(?:de\s+)?(?:{S}|{B}))",
    // Spanish.
    R"(\bsoy\s+(?:un\s+|una\s+|el\s+|la\s+)?(?:asesor|asesora|empleado|empleada|agente|gestor|gestora|trabajador|trabajadora|representante|operador|operadora)\b{G}\b(?:de|del|en)\s+(?:{B}|atencion\s+al\s+cliente|la\s+oficina|la\s+sucursal))",
    R"(\bsoy\s+(?:tu|su)\s+(?:asesor|asesora|gestor|gestora)\b)",
    R"(\btrabajo\s+(?:en|para)\s+{B})",
    R"(\b(?:le\s+escribe|te\s+escribe|le\s+habla|somos|aqui)\s+(?:el\s+)?(?:servicio\s+de\s+)?(?:{S}|{B}){E})",
    R"(\ben\s+nombre\s+de\s+{B})",
    // Signatures: a line opening with "the <service> team" or a staff name
    // and ":" or " -", or a closing formula followed by one.
    R"((?m:^)[ \t]*(?:(?:l'equipe|the|team|il\s+team|zespol|het\s+team|el\s+equipo(?:\s+de)?)\s+{S}{NAMES})[ \t]*(?::|-\s))",
    R"(\b(?:cordialement|bien\s+a\s+vous|salutations|regards|best\s+regards|kind\s+regards|cordiali\s+saluti|distinti\s+saluti|saluti|pozdrawiam|z\s+powazaniem|met\s+vriendelijke\s+groet(?:en)?|groeten|un\s+saludo|saludos|atentamente)\s*[,.:-]?\s*(?:l'equipe\s+|the\s+|team\s+|il\s+team\s+|zespol\s+|het\s+team\s+|el\s+equipo\s+(?:de\s+)?)?{S})",
};

// "|name1|name2" for the names, folded and quoted; white space inside a
// name matches any run of white space.
std::string NameAlternatives(const std::vector<std::string>& staff_names) {
  std::string alternatives;
  for (const std::string& name : staff_names) {
    const std::string folded = FoldForMatching(name);
    if (folded.empty()) continue;
    std::vector<std::string> words;
    for (absl::string_view word : absl::StrSplit(folded, ' ')) {
      words.push_back(
          RE2::QuoteMeta(re2::StringPiece(word.data(), word.size())));
    }
    // A boundary after a name ending in a letter or digit ("Support" is not
    // "Supporters"); none after "Hello bank!".
    const char last = folded.back();
    const bool word_end =
        (last >= 'a' && last <= 'z') || (last >= '0' && last <= '9');
    absl::StrAppend(&alternatives, "|", absl::StrJoin(words, R"(\s+)"),
                    word_end ? R"(\b)" : "");
  }
  return alternatives;
}

}  // namespace

absl::StatusOr<std::unique_ptr<StaffImpersonationDetector>>
StaffImpersonationDetector::Create(
    const std::vector<std::string>& staff_names) {
  const std::string names = NameAlternatives(staff_names);
  const std::string bank = absl::StrReplaceAll(kBank, {{"{NAMES}", names}});
  const std::string service =
      absl::StrReplaceAll(kService, {{"{NAMES}", names}});
  std::vector<std::string> alternatives;
  for (absl::string_view phrase : kPhrases) {
    // {E} holds {B}: expand it first.
    const std::string expanded = absl::StrReplaceAll(
        phrase, {{"{E}", kClaimEnd}, {"{G}", kGap}, {"{NAMES}", names}});
    alternatives.push_back(
        absl::StrReplaceAll(expanded, {{"{B}", bank}, {"{S}", service}}));
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  auto phrases = std::make_unique<RE2>(
      absl::StrCat("(?:", absl::StrJoin(alternatives, ")|(?:"), ")"), options);
  if (!phrases->ok()) {
    return absl::InternalError(
        absl::StrCat("staff phrases: ", phrases->error()));
  }
  return absl::WrapUnique(new StaffImpersonationDetector(std::move(phrases)));
}

void StaffImpersonationDetector::Find(absl::string_view folded,
                                      std::vector<Detection>* out) const {
  const re2::StringPiece text(folded.data(), folded.size());
  size_t pos = 0;
  re2::StringPiece match;
  while (pos < folded.size() && phrases_->Match(text, pos, folded.size(),
                                                RE2::UNANCHORED, &match, 1)) {
    const size_t begin = static_cast<size_t>(match.data() - folded.data());
    size_t end = begin + match.size();
    // Signatures may match the white space before them; report the words.
    size_t first = begin;
    while (first < end && (folded[first] == ' ' || folded[first] == '\n')) {
      ++first;
    }
    pos = end > begin ? end : begin + 1;
    if (first == end) continue;
    Detection detection;
    detection.begin = first;
    detection.end = end;
    detection.type = FindingType::kStaffImpersonation;
    detection.rule = kStaffImpersonationRule;
    out->push_back(std::move(detection));
  }
}

}  // namespace agora::moderation::screening
