// Tenant rules administration through the domain, on real PostgreSQL.
#include "services/moderation/domain/rules_admin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/pg/transaction.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/rule_store.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

using ::testing::HasSubstr;

v1::Rule TermsRule(const std::string& display_name,
                   const std::vector<std::string>& terms) {
  v1::Rule rule;
  rule.set_display_name(display_name);
  rule.set_action(v1::RULE_ACTION_BLOCK);
  for (const std::string& term : terms) rule.mutable_terms()->add_terms(term);
  rule.set_enabled(true);
  return rule;
}

v1::Rule PatternRule(const std::string& pattern) {
  v1::Rule rule;
  rule.set_display_name("Crypto scams");
  rule.set_action(v1::RULE_ACTION_WATCH);
  rule.set_risk_weight(40);
  rule.set_pattern(pattern);
  rule.set_language("fr");
  rule.set_enabled(true);
  return rule;
}

v1::CreateRuleRequest CreateRequest(const std::string& tenant,
                                    const std::string& rule_id,
                                    const v1::Rule& rule) {
  v1::CreateRuleRequest request;
  request.set_parent(absl::StrCat("tenants/", tenant));
  request.set_rule_id(rule_id);
  *request.mutable_rule() = rule;
  return request;
}

class RulesAdminTest : public ModerationTest {
 protected:
  auth::Principal admin_ = TenantAdmin("fr", "admin-1");

  v1::Rule MustCreate(const std::string& rule_id, const v1::Rule& rule) {
    absl::StatusOr<v1::Rule> created =
        CreateRule(context(), admin_, CreateRequest("fr", rule_id, rule));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Rule();
  }

  std::vector<v1::AuditEntry> AuditEntries(const std::string& tenant) {
    SealAudit();
    std::vector<v1::AuditEntry> entries;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  entries = ReadAuditEntries(tx, tenant, 1, 0, 1000);
                  return absl::OkStatus();
                }).ok());
    return entries;
  }

  absl::StatusOr<v1::Rule> Get(const std::string& name,
                               const auth::Principal& caller) {
    v1::GetRuleRequest request;
    request.set_name(name);
    return GetRule(context(), caller, request);
  }
};

TEST_F(RulesAdminTest, CreateGetUpdateDeleteWithEtags) {
  const v1::Rule created = MustCreate(
      "scam-words", TermsRule("Scam words", {"arnaque", "pyramide"}));
  EXPECT_EQ(created.name(), "tenants/fr/rules/scam-words");
  EXPECT_EQ(created.etag(), "1");
  EXPECT_TRUE(created.has_create_time());

  absl::StatusOr<v1::Rule> read =
      Get("tenants/fr/rules/scam-words", Moderator("fr", "mod-1"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->display_name(), "Scam words");
  EXPECT_EQ(read->terms().terms_size(), 2);

  v1::UpdateRuleRequest update;
  *update.mutable_rule() = *read;
  update.mutable_rule()->set_display_name("Scam vocabulary");
  update.mutable_rule()->mutable_terms()->add_terms("ponzi");  // not in mask
  update.mutable_update_mask()->add_paths("display_name");
  absl::StatusOr<v1::Rule> updated = UpdateRule(context(), admin_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Scam vocabulary");
  EXPECT_EQ(updated->terms().terms_size(), 2) << "terms were not in the mask";
  EXPECT_EQ(updated->etag(), "2");

  // The same etag again is stale now.
  update.mutable_rule()->set_display_name("Lost update");
  absl::StatusOr<v1::Rule> stale = UpdateRule(context(), admin_, update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(stale.status().message()), HasSubstr("etag"));
  EXPECT_EQ(Get(created.name(), admin_)->display_name(), "Scam vocabulary");

  v1::DeleteRuleRequest remove;
  remove.set_name(created.name());
  remove.set_etag("1");
  EXPECT_EQ(DeleteRule(context(), admin_, remove).status().code(),
            absl::StatusCode::kFailedPrecondition);
  remove.set_etag("2");
  ASSERT_TRUE(DeleteRule(context(), admin_, remove).ok());
  EXPECT_EQ(Get(created.name(), admin_).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(DeleteRule(context(), admin_, remove).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RulesAdminTest, UpdateSwitchesMatcherAndValidatesTheMergedRule) {
  MustCreate("words", TermsRule("Words", {"arnaque"}));
  v1::UpdateRuleRequest update;
  update.mutable_rule()->set_name("tenants/fr/rules/words");
  update.mutable_rule()->set_pattern("bit ?coin");
  update.mutable_update_mask()->add_paths("pattern");
  absl::StatusOr<v1::Rule> updated = UpdateRule(context(), admin_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->pattern(), "bit ?coin");
  EXPECT_FALSE(updated->has_terms());

  // WATCH needs a risk weight: the merged rule is refused, nothing stored.
  update.mutable_rule()->set_action(v1::RULE_ACTION_WATCH);
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("action");
  absl::StatusOr<v1::Rule> refused = UpdateRule(context(), admin_, update);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("rule.risk_weight"));
  EXPECT_EQ(Get("tenants/fr/rules/words", admin_)->action(),
            v1::RULE_ACTION_BLOCK);

  update.mutable_update_mask()->Clear();
  EXPECT_THAT(
      std::string(UpdateRule(context(), admin_, update).status().message()),
      HasSubstr("update_mask"));
  update.mutable_update_mask()->add_paths("create_time");
  EXPECT_THAT(
      std::string(UpdateRule(context(), admin_, update).status().message()),
      HasSubstr("update_mask: create_time"));
  v1::UpdateRuleRequest missing = update;
  missing.mutable_rule()->set_name("tenants/fr/rules/nope");
  missing.mutable_update_mask()->Clear();
  missing.mutable_update_mask()->add_paths("display_name");
  missing.mutable_rule()->set_display_name("x");
  EXPECT_EQ(UpdateRule(context(), admin_, missing).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RulesAdminTest, PatternThatDoesNotCompileIsRefusedNamingIt) {
  absl::StatusOr<v1::Rule> created =
      CreateRule(context(), admin_,
                 CreateRequest("fr", "broken", PatternRule("(arnaque")));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("rule.pattern"));
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("PATTERN_INVALID"));
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM rules"), 0);
  SealAudit();
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM audit_log"), 0);

  // RE2 compiles it, but it matches every text.
  created = CreateRule(context(), admin_,
                       CreateRequest("fr", "everything", PatternRule("a*")));
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("rule.pattern: PATTERN_INVALID"));
  // Beyond the program-size limit.
  created =
      CreateRule(context(), admin_,
                 CreateRequest("fr", "huge",
                               PatternRule("((((a{1,100}){1,100}){1,100}))")));
  EXPECT_THAT(std::string(created.status().message()),
              HasSubstr("rule.pattern: PATTERN_INVALID"));
}

TEST_F(RulesAdminTest, ATenantHasAtMostAThousandRules) {
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                for (int i = 0; i < 1000; ++i) {
                  absl::StatusOr<v1::Rule> inserted =
                      InsertRule(tx, "fr", absl::StrCat("rule-", i),
                                 TermsRule("Words", {"arnaque"}));
                  if (!inserted.ok()) return inserted.status();
                }
                return absl::OkStatus();
              }).ok());
  absl::StatusOr<v1::Rule> created = CreateRule(
      context(), admin_,
      CreateRequest("fr", "one-more", TermsRule("Words", {"arnaque"})));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(created.status().message()), HasSubstr("1000"));
  // Another tenant is not affected.
  v1::CreateRuleRequest italian =
      CreateRequest("it", "one-more", TermsRule("Parole", {"truffa"}));
  EXPECT_TRUE(CreateRule(context(), TenantAdmin("it", "a"), italian).ok());
}

TEST_F(RulesAdminTest, InvalidRulesNameTheFieldAndTheRule) {
  struct Case {
    std::string rule_id;
    v1::Rule rule;
    std::string expected;
  };
  std::vector<Case> cases;
  auto add = [&](std::string expected, auto edit, std::string id = "ok-id") {
    v1::Rule rule = PatternRule("arnaque");
    edit(rule);
    cases.push_back({id, rule, expected});
  };
  add(
      "rule_id", [](v1::Rule&) {}, "A");
  add(
      "rule_id", [](v1::Rule&) {}, "-leading");
  add(
      "rule_id", [](v1::Rule&) {}, std::string(64, 'a'));
  add("rule.display_name: 1-100", [](v1::Rule& r) { r.clear_display_name(); });
  add("rule.display_name: 1-100",
      [](v1::Rule& r) { r.set_display_name(std::string(101, 'x')); });
  add("rule.action", [](v1::Rule& r) { r.clear_action(); });
  add("terms or pattern", [](v1::Rule& r) { r.clear_matcher(); });
  add("rule.terms.terms: 1-1,000",
      [](v1::Rule& r) { r.mutable_terms()->Clear(); });
  add("rule.terms.terms: 1-1,000", [](v1::Rule& r) {
    for (int i = 0; i < 1001; ++i) r.mutable_terms()->add_terms("mot");
  });
  add("rule.terms.terms[1]: 1-100", [](v1::Rule& r) {
    r.mutable_terms()->add_terms("mot");
    r.mutable_terms()->add_terms(std::string(101, 'x'));
  });
  add("rule.pattern: 1-1000",
      [](v1::Rule& r) { r.set_pattern(std::string(1001, 'a')); });
  add("rule.language", [](v1::Rule& r) { r.set_language("f"); });
  add("rule.language", [](v1::Rule& r) { r.set_language("fr_FR"); });
  add("rule.risk_weight: 1-100", [](v1::Rule& r) { r.set_risk_weight(0); });
  add("rule.risk_weight: 1-100", [](v1::Rule& r) { r.set_risk_weight(101); });
  add("rule.spaces: at most 50", [](v1::Rule& r) {
    for (int i = 0; i < 51; ++i) {
      r.add_spaces(absl::StrCat("tenants/fr/spaces/s", i));
    }
  });
  add("rule.spaces[0]",
      [](v1::Rule& r) { r.add_spaces("tenants/it/spaces/cartes"); });
  add("rule.spaces[0]", [](v1::Rule& r) { r.add_spaces("spaces/cartes"); });
  add("rule.spaces[1]: duplicate", [](v1::Rule& r) {
    r.add_spaces("tenants/fr/spaces/cartes");
    r.add_spaces("tenants/fr/spaces/cartes");
  });
  for (const Case& c : cases) {
    absl::StatusOr<v1::Rule> created =
        CreateRule(context(), admin_, CreateRequest("fr", c.rule_id, c.rule));
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.expected;
    EXPECT_THAT(std::string(created.status().message()), HasSubstr(c.expected));
  }
  // The edges that pass: HOLD ignores risk_weight, 50 spaces, regional tag.
  v1::Rule edge = PatternRule("arnaque");
  edge.set_action(v1::RULE_ACTION_HOLD);
  edge.set_risk_weight(0);
  edge.set_language("nl-BE");
  for (int i = 0; i < 50; ++i) {
    edge.add_spaces(absl::StrCat("tenants/fr/spaces/s", i));
  }
  MustCreate(std::string(63, 'a'), edge);
}

TEST_F(RulesAdminTest, OnlyTenantAdminsWriteAndStaffReads) {
  const v1::CreateRuleRequest request =
      CreateRequest("fr", "words", TermsRule("Words", {"arnaque"}));
  EXPECT_EQ(CreateRule(context(), Member("fr", "m1"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      CreateRule(context(), Moderator("fr", "mod-1"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  const v1::Rule rule = MustCreate("words", TermsRule("Words", {"arnaque"}));

  v1::UpdateRuleRequest update;
  *update.mutable_rule() = rule;
  update.mutable_update_mask()->add_paths("enabled");
  EXPECT_EQ(
      UpdateRule(context(), Moderator("fr", "mod-1"), update).status().code(),
      absl::StatusCode::kPermissionDenied);
  v1::DeleteRuleRequest remove;
  remove.set_name(rule.name());
  EXPECT_EQ(
      DeleteRule(context(), Moderator("fr", "mod-1"), remove).status().code(),
      absl::StatusCode::kPermissionDenied);

  EXPECT_TRUE(Get(rule.name(), Moderator("fr", "mod-1")).ok());
  EXPECT_EQ(Get(rule.name(), Member("fr", "m1")).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListRulesRequest list;
  list.set_parent("tenants/fr");
  EXPECT_TRUE(ListRules(context(), Moderator("fr", "mod-1"), list).ok());
  EXPECT_EQ(ListRules(context(), Member("fr", "m1"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(RulesAdminTest, TenantAdminOfAnotherTenantCannotTouchTheRules) {
  const v1::Rule rule = MustCreate("words", TermsRule("Words", {"arnaque"}));
  const auth::Principal italian_admin = TenantAdmin("it", "admin-it");

  EXPECT_EQ(CreateRule(context(), italian_admin,
                       CreateRequest("fr", "other", TermsRule("x", {"y"})))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(rule.name(), italian_admin).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::UpdateRuleRequest update;
  *update.mutable_rule() = rule;
  update.mutable_rule()->set_enabled(false);
  update.mutable_update_mask()->add_paths("enabled");
  EXPECT_EQ(UpdateRule(context(), italian_admin, update).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::DeleteRuleRequest remove;
  remove.set_name(rule.name());
  EXPECT_EQ(DeleteRule(context(), italian_admin, remove).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListRulesRequest list;
  list.set_parent("tenants/fr");
  EXPECT_EQ(ListRules(context(), italian_admin, list).status().code(),
            absl::StatusCode::kPermissionDenied);

  // Nothing changed, and the Italian tenant has no rule of that name.
  absl::StatusOr<v1::Rule> still = Get(rule.name(), admin_);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->etag(), "1");
  EXPECT_TRUE(still->enabled());
  EXPECT_EQ(Get("tenants/it/rules/words", italian_admin).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RulesAdminTest, CreateIsIdempotentByRequestIdAndRefusesTakenIds) {
  v1::CreateRuleRequest request =
      CreateRequest("fr", "words", TermsRule("Words", {"arnaque"}));
  request.set_request_id("5b0e7c44-63a1-4b38-9d7e-1f0a2c3d4e5f");
  absl::StatusOr<v1::Rule> first = CreateRule(context(), admin_, request);
  absl::StatusOr<v1::Rule> retry = CreateRule(context(), admin_, request);
  ASSERT_TRUE(first.ok() && retry.ok()) << retry.status();
  EXPECT_EQ(first->SerializeAsString(), retry->SerializeAsString());
  EXPECT_EQ(AuditEntries("fr").size(), 1u) << "a retry records nothing";

  request.set_request_id("");
  EXPECT_EQ(CreateRule(context(), admin_, request).status().code(),
            absl::StatusCode::kAlreadyExists);
  request.set_request_id("not a uuid!");
  EXPECT_THAT(
      std::string(CreateRule(context(), admin_, request).status().message()),
      HasSubstr("request_id"));
}

TEST_F(RulesAdminTest, ListPagesByIdWithFiltersAndOpaqueTokens) {
  // 105 rules written straight to the store: pages are clamped at 100.
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                for (int i = 0; i < 105; ++i) {
                  v1::Rule rule = PatternRule("arnaque");
                  if (i % 3 == 0) rule.set_action(v1::RULE_ACTION_BLOCK);
                  if (i % 5 == 0) rule.set_language("it");
                  absl::StatusOr<v1::Rule> inserted = InsertRule(
                      tx, "fr", absl::StrCat("rule-", 1000 + i), rule);
                  if (!inserted.ok()) return inserted.status();
                }
                return absl::OkStatus();
              }).ok());
  const auth::Principal moderator = Moderator("fr", "mod-1");
  v1::ListRulesRequest list;
  list.set_parent("tenants/fr");
  absl::StatusOr<v1::ListRulesResponse> page =
      ListRules(context(), moderator, list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->rules_size(), 20) << "default page size";
  list.set_page_size(1000);
  page = ListRules(context(), moderator, list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rules_size(), 100);
  EXPECT_FALSE(page->next_page_token().empty());

  // Every rule once, in id order, across pages of 7.
  std::vector<std::string> names;
  list.set_page_size(7);
  do {
    page = ListRules(context(), moderator, list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Rule& rule : page->rules()) names.push_back(rule.name());
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  ASSERT_EQ(names.size(), 105u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.front(), "tenants/fr/rules/rule-1000");

  // Filters: BLOCK (i % 3 == 0: 35 rules) in Italian (i % 15 == 0: 7).
  list.set_page_size(100);
  list.set_action(v1::RULE_ACTION_BLOCK);
  list.set_language("it");
  page = ListRules(context(), moderator, list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rules_size(), 7);
  EXPECT_TRUE(page->next_page_token().empty());
  for (const v1::Rule& rule : page->rules()) {
    EXPECT_EQ(rule.action(), v1::RULE_ACTION_BLOCK);
    EXPECT_EQ(rule.language(), "it");
  }

  list.set_page_token("not-a-token");
  EXPECT_EQ(ListRules(context(), moderator, list).status().message(),
            "page_token: invalid");
  list.clear_page_token();
  list.set_page_size(-1);
  EXPECT_THAT(
      std::string(ListRules(context(), moderator, list).status().message()),
      HasSubstr("page_size"));
}

TEST_F(RulesAdminTest, EveryChangeIsAuditedWithoutTheRuleText) {
  const v1::Rule rule =
      MustCreate("words", TermsRule("Words", {"motsecret", "autre"}));
  v1::UpdateRuleRequest update;
  *update.mutable_rule() = rule;
  update.mutable_rule()->set_enabled(false);
  update.mutable_update_mask()->add_paths("enabled");
  ASSERT_TRUE(UpdateRule(context(), admin_, update).ok());
  v1::DeleteRuleRequest remove;
  remove.set_name(rule.name());
  ASSERT_TRUE(DeleteRule(context(), admin_, remove).ok());

  const std::vector<v1::AuditEntry> entries = AuditEntries("fr");
  ASSERT_EQ(entries.size(), 3u);
  const std::vector<std::string> changes = {"created", "updated", "deleted"};
  for (size_t i = 0; i < entries.size(); ++i) {
    const v1::AuditEntry& entry = entries[i];
    EXPECT_EQ(entry.type(), v1::AUDIT_ENTRY_TYPE_RULE_CHANGED);
    EXPECT_EQ(entry.subject(), "tenants/fr/rules/words");
    EXPECT_EQ(entry.actor().name(), "tenants/fr/members/admin-1");
    EXPECT_EQ(entry.actor().type(), common::ACTOR_TYPE_MEMBER);
    EXPECT_FALSE(absl::StrContains(entry.payload(), "motsecret"))
        << entry.payload();
    const nlohmann::json payload = nlohmann::json::parse(entry.payload());
    EXPECT_EQ(payload["change"], changes[i]);
    EXPECT_EQ(payload["rule_id"], "words");
    EXPECT_EQ(payload["term_count"], 2);
    EXPECT_EQ(payload["content_sha256"].get<std::string>().size(), 64u);
  }
  const nlohmann::json updated = nlohmann::json::parse(entries[1].payload());
  EXPECT_EQ(updated["fields"], nlohmann::json::array({"enabled"}));
  EXPECT_EQ(updated["enabled"], false);
  EXPECT_NE(updated["content_sha256"],
            nlohmann::json::parse(entries[0].payload())["content_sha256"]);

  absl::StatusOr<v1::AuditVerification> verification;
  SealAudit();
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                verification = VerifyAuditChain(tx, "fr", 1, 0);
                return verification.status();
              }).ok());
  EXPECT_TRUE(verification->valid());
  EXPECT_EQ(verification->entries_checked(), 3);
}

TEST_F(RulesAdminTest, WritesMoveTheScreeningConfigGeneration) {
  int64_t before = 0, after = 0;
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                before = ScreeningConfigGeneration(tx, "fr");
                return absl::OkStatus();
              }).ok());
  MustCreate("words", TermsRule("Words", {"arnaque"}));
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                after = ScreeningConfigGeneration(tx, "fr");
                return absl::OkStatus();
              }).ok());
  EXPECT_GT(after, before) << "replicas must recompile the rules";
}

}  // namespace
}  // namespace agora::moderation
