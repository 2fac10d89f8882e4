// Links in a folded text: "http://" and "https://" URLs, "www." hosts, and
// bare domains ending in a common top-level domain ("bnp-paribas-secure.com",
// "example.fr/offre"). E-mail addresses are not links (their domains are
// checked separately). The host is what look-alike and link-policy checks
// read; the whole link is what a finding points at.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_LINK_EXTRACTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_LINK_EXTRACTOR_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/text_tokens.h"

namespace agora::moderation::screening {

struct Link {
  // Folded bytes of the whole link and of its host.
  size_t begin = 0;
  size_t end = 0;
  size_t host_begin = 0;
  size_t host_end = 0;
};

// True for the top-level domains a bare domain may end in (URLs with a
// scheme or "www." may end in any): generic ones (com, net, org, info, io,
// app, bank ...), those of Europe's countries and the ones phishing favours
// (xyz, top, online, site, live, shop, click ...).
bool IsCommonTopLevelDomain(absl::string_view label);

// Appends the links of a folded text in order, none overlapping.
void FindLinks(const TextTokens& text, std::vector<Link>* out);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_LINK_EXTRACTOR_H_
