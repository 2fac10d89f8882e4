// The tenant's link policy: minimum trust level, allowed domains, links
// per post.
#include "services/moderation/screening/link_policy.h"

#include <string>

#include "gtest/gtest.h"
#include "services/moderation/screening/link_extractor.h"
#include "tests/services/moderation/screening/screening_fixtures.h"

namespace agora::moderation::screening {
namespace {

std::vector<std::string> LinkRules(const ScreeningResult& result) {
  std::vector<std::string> rules;
  for (const Finding& finding :
       testing::FindingsOfType(result, FindingType::kLinkPolicy)) {
    rules.push_back(finding.rule);
  }
  return rules;
}

std::vector<std::string> Hosts(const std::string& text) {
  std::vector<Link> links;
  FindLinks(TextTokens(text), &links);
  std::vector<std::string> hosts;
  for (const Link& link : links) {
    hosts.push_back(
        text.substr(link.host_begin, link.host_end - link.host_begin));
  }
  return hosts;
}

TEST(LinkExtractorTest, FindsUrlsWwwHostsAndBareDomains) {
  EXPECT_EQ(Hosts("voir https://exemple.fr/a?b=c#d, puis www.test.com."),
            (std::vector<std::string>{"exemple.fr", "www.test.com"}));
  EXPECT_EQ(Hosts("allez sur bnp-paribas-secure.com/login ou sur x.y.shop"),
            (std::vector<std::string>{"bnp-paribas-secure.com", "x.y.shop"}));
  EXPECT_EQ(Hosts("secure.bnpparibas.fr.login.xyz/compte"),
            (std::vector<std::string>{"secure.bnpparibas.fr.login.xyz"}));
  // Not links: e-mail domains, decimals, abbreviations, file names.
  EXPECT_TRUE(Hosts("jean@exemple.fr").empty());
  EXPECT_TRUE(Hosts("3.14 et 1.fr et etc.. et M.Dupont et photo.jpeg").empty());
}

TEST(LinkPolicyTest, NewMembersMayNotPostLinks) {
  const auto rules = testing::MustCompile(testing::BankTenantConfig());
  testing::ScreenOptions options;
  options.trust_level = 1;  // NEW; the default minimum is BASIC
  ScreeningResult result =
      testing::ScreenBody(*rules, "Lisez https://exemple.fr/guide", options);
  EXPECT_EQ(LinkRules(result),
            std::vector<std::string>{"builtin/link-policy/trust-level"});
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].start, 6);
  EXPECT_EQ(result.findings[0].length, 24);
  EXPECT_EQ(result.risk_score, 20);
  // Not even to the bank's own site.
  result = testing::ScreenBody(*rules, "Voir bnpparibas.fr", options);
  EXPECT_EQ(LinkRules(result).size(), 1u);
  options.trust_level = 2;
  EXPECT_TRUE(LinkRules(testing::ScreenBody(*rules, "Voir exemple.fr", options))
                  .empty());
}

TEST(LinkPolicyTest, AllowedDomainsExactAndWildcard) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.link_policy.allowed_domains = {"service-public.fr", "*.europa.eu"};
  const auto rules = testing::MustCompile(config);
  for (const char* allowed :
       {"https://service-public.fr/x", "https://www.service-public.fr/x",
        "https://europa.eu", "https://ec.europa.eu/info",
        "https://www.bnpparibas.fr/aide"}) {  // the bank's domains always
    EXPECT_TRUE(LinkRules(testing::ScreenBody(*rules, allowed)).empty())
        << allowed;
  }
  for (const char* refused :
       {"https://exemple.fr", "https://sub.service-public.fr/x",
        "https://europa.eu.evil.com", "https://noteuropa.eu"}) {
    EXPECT_EQ(LinkRules(testing::ScreenBody(*rules, refused)),
              std::vector<std::string>{"builtin/link-policy/domain"})
        << refused;
  }
}

TEST(LinkPolicyTest, LinksBeyondTheMaximumAreFindings) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.link_policy.max_links_per_post = 2;
  const auto rules = testing::MustCompile(config);
  ScreeningInput input;
  input.trust_level = 3;
  input.texts = {{"title", "a.com"}, {"body", "b.com c.com d.com"}};
  const ScreeningResult result = Screener().Screen(input, *rules);
  const std::vector<Finding> found =
      testing::FindingsOfType(result, FindingType::kLinkPolicy);
  ASSERT_EQ(found.size(), 2u);  // the third and fourth links of the post
  EXPECT_EQ(found[0].field, "body");
  EXPECT_EQ(found[0].rule, "builtin/link-policy/max-links");
  EXPECT_EQ(found[0].start, 6);
  EXPECT_EQ(found[1].start, 12);
  EXPECT_EQ(result.risk_score, 20);
}

TEST(LinkPolicyTest, AllowedDomainMatching) {
  LinkPolicySpec spec;
  spec.allowed_domains = {"exemple.fr", "*.Europa.eu"};
  const LinkPolicy policy(spec);
  EXPECT_TRUE(policy.IsAllowedDomain("exemple.fr"));
  EXPECT_TRUE(policy.IsAllowedDomain("www.exemple.fr"));
  EXPECT_FALSE(policy.IsAllowedDomain("shop.exemple.fr"));
  EXPECT_TRUE(policy.IsAllowedDomain("a.b.europa.eu"));
  EXPECT_FALSE(policy.IsAllowedDomain("xeuropa.eu"));
}

}  // namespace
}  // namespace agora::moderation::screening
