// Domains that imitate the bank's. A host is a look-alike of a bank domain
// B when it does not lead to B (nor a subdomain of B) and:
//   - it reads as B: after folding (confusable letters, full-width,
//     accents) or as punycode decoded ("bnpраribas.fr" with Cyrillic р,
//     "xn--..."), it is B or a subdomain of B;
//   - its registrable part (last two labels, three under co.uk-like
//     suffixes) is within edit distance d of B's, or its first label is
//     within d of B's first label under another top-level domain
//     ("bnpparibas.com", "bnpparlbas.fr"), with d = 2 for labels of 8+
//     characters, 1 for 5-7, 0 below (short names collide with words);
//   - it embeds one of B's names: "bnp-paribas-secure.com",
//     "secure.bnpparibas.fr.login.xyz" (names of 5+ characters anywhere
//     once dots and dashes are removed; shorter names as a whole label or
//     dash-separated part: "ing-secure.nl", not "booking.com");
//   - its Unicode confusable skeleton (ICU, UTS #39) equals B's ("rn" for
//     "m", "1" for "l").
// The bank's own domains and their subdomains are never look-alikes; a host
// that only differs from them by case or full-width letters leads to them
// (IDNA maps it there) and is not one either.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_LOOKALIKE_DOMAIN_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_LOOKALIKE_DOMAIN_DETECTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

// Edit distance (insertions, deletions, substitutions) between a and b,
// or max_distance + 1 when it exceeds max_distance.
int BoundedEditDistance(absl::string_view a, absl::string_view b,
                        int max_distance);

class LookalikeDomainDetector {
 public:
  // `bank_domains` as configured ("bnpparibas.fr"); INVALID_ARGUMENT naming
  // the index of one that is not a domain; INTERNAL when ICU's spoof
  // checker or IDNA cannot be created.
  static absl::StatusOr<std::unique_ptr<LookalikeDomainDetector>> Create(
      const std::vector<std::string>& bank_domains);
  ~LookalikeDomainDetector();
  LookalikeDomainDetector(const LookalikeDomainDetector&) = delete;
  LookalikeDomainDetector& operator=(const LookalikeDomainDetector&) = delete;

  // Where a host typed as `original_host` (UTF-8, as in the member's text)
  // leads: IDNA (UTS #46) ASCII form, lowercase; the input lowercased when
  // it is not a valid IDNA name.
  std::string RealHost(absl::string_view original_host) const;

  // True when `real_host` is a bank domain or one of its subdomains.
  bool IsBankHost(absl::string_view real_host) const;

  // True when the host typed as `original_host`, read as `folded_host`
  // (FoldedText of the same characters), imitates a bank domain (see
  // above). Const, thread-safe.
  bool IsLookalike(absl::string_view original_host,
                   absl::string_view folded_host) const;

  bool has_bank_domains() const { return !banks_.empty(); }

 private:
  struct BankDomain {
    std::string domain;
    std::string registrable;
    std::string first_label;
    int max_distance;
    // Names to look for inside other hosts, dashes removed.
    std::vector<std::string> names;
    std::string skeleton;
  };
  struct Icu;

  LookalikeDomainDetector();
  std::string Skeleton(absl::string_view host) const;
  std::string UnicodeHost(absl::string_view host) const;

  std::vector<BankDomain> banks_;
  std::unique_ptr<Icu> icu_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_LOOKALIKE_DOMAIN_DETECTOR_H_
