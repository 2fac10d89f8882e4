#include "services/moderation/screening/lookalike_domain_detector.h"

#include <unicode/bytestream.h>
#include <unicode/idna.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/link_extractor.h"
#include "services/moderation/screening/rule_validation.h"

namespace agora::moderation::screening {

struct LookalikeDomainDetector::Icu {
  ~Icu() {
    if (spoof != nullptr) uspoof_close(spoof);
  }
  USpoofChecker* spoof = nullptr;
  std::unique_ptr<icu::IDNA> idna;
};

namespace {

// Second-level labels under which registrations happen one level down
// (example.co.uk, example.com.pl).
bool IsSecondLevelSuffix(absl::string_view label) {
  for (absl::string_view suffix :
       {"co", "com", "org", "net", "gov", "gouv", "ac", "edu"}) {
    if (label == suffix) return true;
  }
  return false;
}

std::vector<absl::string_view> Labels(absl::string_view host) {
  return absl::StrSplit(host, '.', absl::SkipEmpty());
}

std::string Registrable(absl::string_view host) {
  const std::vector<absl::string_view> labels = Labels(host);
  size_t keep = 2;
  if (labels.size() >= 3 && labels.back().size() == 2 &&
      IsSecondLevelSuffix(labels[labels.size() - 2])) {
    keep = 3;
  }
  if (labels.size() <= keep) return static_cast<std::string>(host);
  std::vector<absl::string_view> tail(labels.end() - keep, labels.end());
  return absl::StrJoin(tail, ".");
}

std::string FirstLabel(absl::string_view host) {
  return static_cast<std::string>(host.substr(0, host.find('.')));
}

bool IsGenericLabel(absl::string_view label) {
  for (absl::string_view generic :
       {"www", "secure", "online", "m", "app", "mobile", "mon", "my", "espace",
        "client", "clients", "web", "login"}) {
    if (label == generic) return true;
  }
  return IsCommonTopLevelDomain(label);
}

std::string WithoutCharacters(absl::string_view text, absl::string_view drop) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (drop.find(c) == absl::string_view::npos) out.push_back(c);
  }
  return out;
}

bool IsDomainOrSubdomain(absl::string_view host, absl::string_view domain) {
  return host == domain ||
         (host.size() > domain.size() && absl::EndsWith(host, domain) &&
          host[host.size() - domain.size() - 1] == '.');
}

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

int BoundedEditDistance(absl::string_view a, absl::string_view b,
                        int max_distance) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  std::vector<int> previous(m + 1);
  std::vector<int> current(m + 1);
  for (int j = 0; j <= m; ++j) previous[j] = j;
  for (int i = 1; i <= n; ++i) {
    current[0] = i;
    int row_minimum = current[0];
    for (int j = 1; j <= m; ++j) {
      const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] =
          std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      row_minimum = std::min(row_minimum, current[j]);
    }
    if (row_minimum > max_distance) return max_distance + 1;
    std::swap(previous, current);
  }
  return std::min(previous[m], max_distance + 1);
}

LookalikeDomainDetector::LookalikeDomainDetector()
    : icu_(std::make_unique<Icu>()) {}

LookalikeDomainDetector::~LookalikeDomainDetector() = default;

absl::StatusOr<std::unique_ptr<LookalikeDomainDetector>>
LookalikeDomainDetector::Create(const std::vector<std::string>& bank_domains) {
  auto detector = absl::WrapUnique(new LookalikeDomainDetector());
  UErrorCode status = U_ZERO_ERROR;
  detector->icu_->spoof = uspoof_open(&status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("uspoof_open: ", u_errorName(status)));
  }
  detector->icu_->idna.reset(icu::IDNA::createUTS46Instance(
      UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE,
      status));
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("IDNA::createUTS46Instance: ", u_errorName(status)));
  }
  for (size_t i = 0; i < bank_domains.size(); ++i) {
    BankDomain bank;
    bank.domain = detector->RealHost(bank_domains[i]);
    if (absl::StartsWith(bank.domain, "www.")) bank.domain.erase(0, 4);
    if (!IsDomainName(bank.domain)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bank_domains[", i, "]: not a domain name"));
    }
    bank.registrable = Registrable(bank.domain);
    bank.first_label = FirstLabel(bank.registrable);
    const size_t length = bank.first_label.size();
    bank.max_distance = length >= 8 ? 2 : (length >= 5 ? 1 : 0);
    for (absl::string_view label : Labels(bank.domain)) {
      if (IsGenericLabel(label)) continue;
      std::string name = WithoutCharacters(label, "-");
      if (!name.empty() && std::find(bank.names.begin(), bank.names.end(),
                                     name) == bank.names.end()) {
        bank.names.push_back(std::move(name));
      }
    }
    bank.skeleton = detector->Skeleton(bank.domain);
    detector->banks_.push_back(std::move(bank));
  }
  return detector;
}

std::string LookalikeDomainDetector::RealHost(
    absl::string_view original_host) const {
  if (IsAscii(original_host) && !absl::StrContains(original_host, "xn--")) {
    return absl::AsciiStrToLower(original_host);
  }
  std::string ascii;
  icu::StringByteSink<std::string> sink(&ascii);
  icu::IDNAInfo info;
  UErrorCode status = U_ZERO_ERROR;
  icu_->idna->nameToASCII_UTF8(
      icu::StringPiece(original_host.data(),
                       static_cast<int32_t>(original_host.size())),
      sink, info, status);
  if (U_FAILURE(status) || info.hasErrors()) {
    return absl::AsciiStrToLower(original_host);
  }
  return absl::AsciiStrToLower(ascii);
}

std::string LookalikeDomainDetector::UnicodeHost(absl::string_view host) const {
  std::string unicode;
  icu::StringByteSink<std::string> sink(&unicode);
  icu::IDNAInfo info;
  UErrorCode status = U_ZERO_ERROR;
  icu_->idna->nameToUnicodeUTF8(
      icu::StringPiece(host.data(), static_cast<int32_t>(host.size())), sink,
      info, status);
  if (U_FAILURE(status)) return static_cast<std::string>(host);
  return unicode;
}

std::string LookalikeDomainDetector::Skeleton(absl::string_view host) const {
  UErrorCode status = U_ZERO_ERROR;
  std::string skeleton(host.size() * 4 + 16, '\0');
  int32_t length = uspoof_getSkeletonUTF8(
      icu_->spoof, 0, host.data(), static_cast<int32_t>(host.size()),
      skeleton.data(), static_cast<int32_t>(skeleton.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    skeleton.assign(static_cast<size_t>(length) + 1, '\0');
    length = uspoof_getSkeletonUTF8(
        icu_->spoof, 0, host.data(), static_cast<int32_t>(host.size()),
        skeleton.data(), static_cast<int32_t>(skeleton.size()), &status);
  }
  if (U_FAILURE(status)) return static_cast<std::string>(host);
  skeleton.resize(static_cast<size_t>(length));
  return skeleton;
}

bool LookalikeDomainDetector::IsBankHost(absl::string_view real_host) const {
  for (const BankDomain& bank : banks_) {
    if (IsDomainOrSubdomain(real_host, bank.domain)) return true;
  }
  return false;
}

bool LookalikeDomainDetector::IsLookalike(absl::string_view original_host,
                                          absl::string_view folded_host) const {
  if (banks_.empty()) return false;
  const std::string real = RealHost(original_host);
  if (IsBankHost(real)) return false;
  // What a reader sees: the folded host, or the folded Unicode form of a
  // punycode host.
  std::string apparent(folded_host);
  std::string unicode(original_host);
  if (absl::StrContains(real, "xn--")) {
    unicode = UnicodeHost(real);
    apparent = FoldForMatching(unicode);
  }
  if (absl::StartsWith(apparent, "www.")) apparent.erase(0, 4);
  const std::string registrable = Registrable(apparent);
  const std::string first_label = FirstLabel(registrable);
  const std::string compact = WithoutCharacters(apparent, ".-");
  const std::vector<absl::string_view> parts =
      absl::StrSplit(apparent, absl::ByAnyChar(".-"), absl::SkipEmpty());
  for (const BankDomain& bank : banks_) {
    if (IsDomainOrSubdomain(apparent, bank.domain)) return true;
    if (BoundedEditDistance(registrable, bank.registrable, bank.max_distance) <=
        bank.max_distance) {
      return true;
    }
    if (BoundedEditDistance(first_label, bank.first_label, bank.max_distance) <=
        bank.max_distance) {
      return true;
    }
    for (const std::string& name : bank.names) {
      if (name.size() >= 5) {
        if (absl::StrContains(compact, name)) return true;
      } else if (std::find(parts.begin(), parts.end(), name) != parts.end()) {
        return true;
      }
    }
  }
  // Last, the costliest check, once for all the banks.
  const std::string skeleton = Skeleton(absl::AsciiStrToLower(unicode));
  for (const BankDomain& bank : banks_) {
    if (skeleton == bank.skeleton) return true;
  }
  return false;
}

}  // namespace agora::moderation::screening
