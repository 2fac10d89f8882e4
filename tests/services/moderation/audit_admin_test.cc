// Listing and verifying the audit log (domain and operator command), on
// real PostgreSQL; tampering is done in SQL, as an intruder would.
#include "services/moderation/domain/audit_admin.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/moderation/audit_command.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/repository/audit_log.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

class AuditAdminTest : public ModerationTest {
 protected:
  // Record i = 1..count: type RULE_CHANGED when odd, POLICY_CHANGED when
  // even; actor admin-(i % 3); subject tenants/{tenant}/rules/r{i % 2}.
  static AuditRecord RecordNumber(const std::string& tenant, int i) {
    AuditRecord record;
    record.type = i % 2 == 1 ? v1::AUDIT_ENTRY_TYPE_RULE_CHANGED
                             : v1::AUDIT_ENTRY_TYPE_POLICY_CHANGED;
    record.actor = ActorFor(TenantAdmin(tenant, absl::StrCat("admin-", i % 3)));
    record.subject = absl::StrCat("tenants/", tenant, "/rules/r", i % 2);
    record.payload_json = absl::StrCat("{\"n\":", i, "}");
    return record;
  }

  // Records `count` entries in one action's transaction (pending).
  void RecordEntries(const std::string& tenant, int count) {
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  for (int i = 1; i <= count; ++i) {
                    absl::Status recorded =
                        AppendAuditEntry(tx, tenant, RecordNumber(tenant, i));
                    if (!recorded.ok()) return recorded;
                  }
                  return absl::OkStatus();
                }).ok());
  }

  // Records them and seals them into the chain.
  void AppendEntries(const std::string& tenant, int count) {
    RecordEntries(tenant, count);
    SealAudit();
  }

  void Sql(const std::string& statement) {
    pqxx::connection connection(database_url());
    pqxx::work tx(connection);
    tx.exec(statement);
    tx.commit();
  }

  absl::StatusOr<v1::AuditVerification> Verify(const auth::Principal& caller,
                                               int64_t start = 0,
                                               int64_t end = 0) {
    v1::VerifyAuditLogRequest request;
    request.set_parent("tenants/fr");
    request.set_start_sequence(start);
    request.set_end_sequence(end);
    return VerifyAuditLog(context(), caller, request);
  }

  std::vector<int64_t> Sequences(v1::ListAuditEntriesRequest request) {
    std::vector<int64_t> sequences;
    absl::StatusOr<v1::ListAuditEntriesResponse> response =
        ListAuditEntries(context(), Moderator("fr", "mod-1"), request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return sequences;
    for (const v1::AuditEntry& entry : response->audit_entries()) {
      sequences.push_back(entry.sequence());
    }
    return sequences;
  }

  // Runs the operator command in-process; returns its exit code.
  int RunCommand(std::vector<std::string> args, std::string* out,
                 std::string* err = nullptr) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    std::ostringstream out_stream, err_stream;
    const int code = RunAuditCommand(static_cast<int>(argv.size()), argv.data(),
                                     out_stream, err_stream);
    *out = out_stream.str();
    if (err != nullptr) *err = err_stream.str();
    return code;
  }

  const auth::Principal admin_ = TenantAdmin("fr", "admin-1");
};

TEST_F(AuditAdminTest, ListsInSequenceOrderWithFiltersAndPages) {
  AppendEntries("fr", 7);
  AppendEntries("it", 3);
  v1::ListAuditEntriesRequest request;
  request.set_parent("tenants/fr");
  EXPECT_EQ(Sequences(request), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));

  absl::StatusOr<v1::ListAuditEntriesResponse> all =
      ListAuditEntries(context(), admin_, request);
  ASSERT_TRUE(all.ok());
  const v1::AuditEntry& third = all->audit_entries(2);
  EXPECT_EQ(third.name(), "tenants/fr/auditEntries/3");
  EXPECT_EQ(third.payload(), "{\"n\":3}");
  EXPECT_EQ(third.actor().name(), "tenants/fr/members/admin-0");
  EXPECT_EQ(third.previous_hash(), all->audit_entries(1).hash());

  v1::ListAuditEntriesRequest filtered = request;
  filtered.add_types(v1::AUDIT_ENTRY_TYPE_POLICY_CHANGED);
  EXPECT_EQ(Sequences(filtered), (std::vector<int64_t>{2, 4, 6}));
  filtered.add_types(v1::AUDIT_ENTRY_TYPE_RULE_CHANGED);
  EXPECT_EQ(Sequences(filtered).size(), 7u);

  filtered = request;
  filtered.set_actor("tenants/fr/members/admin-1");
  EXPECT_EQ(Sequences(filtered), (std::vector<int64_t>{1, 4, 7}));
  filtered.set_subject("tenants/fr/rules/r0");
  EXPECT_EQ(Sequences(filtered), (std::vector<int64_t>{4}));

  filtered = request;
  filtered.set_start_sequence(5);
  EXPECT_EQ(Sequences(filtered), (std::vector<int64_t>{5, 6, 7}));

  // Time range: entry 3 moved an hour back (its hash no longer matches,
  // which listing does not care about).
  Sql("UPDATE audit_log SET create_time = create_time - interval '1 hour'"
      " WHERE tenant = 'fr' AND sequence = 3");
  filtered = request;
  *filtered.mutable_time_range()->mutable_end_time() =
      TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(absl::Now() - absl::Minutes(30)));
  EXPECT_EQ(Sequences(filtered), (std::vector<int64_t>{3}));
  filtered = request;
  *filtered.mutable_time_range()->mutable_start_time() =
      TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(absl::Now() - absl::Minutes(30)));
  EXPECT_EQ(Sequences(filtered), (std::vector<int64_t>{1, 2, 4, 5, 6, 7}));

  // Pages of 3 with opaque tokens.
  v1::ListAuditEntriesRequest paged = request;
  paged.set_page_size(3);
  std::vector<int64_t> seen;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListAuditEntriesResponse> page =
        ListAuditEntries(context(), admin_, paged);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::AuditEntry& entry : page->audit_entries()) {
      seen.push_back(entry.sequence());
    }
    paged.set_page_token(page->next_page_token());
    ++pages;
  } while (!paged.page_token().empty());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(pages, 3);
}

TEST_F(AuditAdminTest, BadFiltersAreRefusedNamingThem) {
  const auth::Principal moderator = Moderator("fr", "mod-1");
  auto message = [&](const v1::ListAuditEntriesRequest& request) {
    return std::string(
        ListAuditEntries(context(), moderator, request).status().message());
  };
  v1::ListAuditEntriesRequest request;
  request.set_parent("tenants/fr");
  v1::ListAuditEntriesRequest bad = request;
  bad.set_page_size(-5);
  EXPECT_THAT(message(bad), HasSubstr("page_size"));
  bad = request;
  bad.set_page_token("garbage!");
  EXPECT_EQ(message(bad), "page_token: invalid");
  bad = request;
  bad.add_types(v1::AUDIT_ENTRY_TYPE_UNSPECIFIED);
  EXPECT_THAT(message(bad), HasSubstr("types[0]"));
  bad = request;
  bad.set_start_sequence(-1);
  EXPECT_THAT(message(bad), HasSubstr("start_sequence"));
  bad = request;
  bad.set_actor(std::string(301, 'a'));
  EXPECT_THAT(message(bad), HasSubstr("actor"));
  bad = request;
  bad.mutable_time_range()->mutable_start_time()->set_seconds(2000);
  bad.mutable_time_range()->mutable_end_time()->set_seconds(1000);
  EXPECT_THAT(message(bad), HasSubstr("time_range"));
  bad = request;
  bad.set_parent("tenants/fr/rules");
  EXPECT_THAT(message(bad), HasSubstr("parent"));
}

TEST_F(AuditAdminTest, ModeratorsListButOnlyTenantAdminsVerify) {
  AppendEntries("fr", 2);
  v1::ListAuditEntriesRequest request;
  request.set_parent("tenants/fr");
  EXPECT_EQ(
      ListAuditEntries(context(), Member("fr", "m1"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ListAuditEntries(context(), TenantAdmin("it", "a"), request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      ListAuditEntries(context(), Moderator("fr", "mod-1"), request).ok());

  EXPECT_EQ(Verify(Moderator("fr", "mod-1")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Verify(TenantAdmin("it", "a")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Verify(admin_).ok());
  EXPECT_TRUE(
      Verify(WithRole(Member("it", "ops"), auth::kRolePlatformAdmin)).ok());
}

TEST_F(AuditAdminTest, IntactChainVerifiesOverAnyRange) {
  absl::StatusOr<v1::AuditVerification> empty = Verify(admin_);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->valid());
  EXPECT_EQ(empty->entries_checked(), 0);

  AppendEntries("fr", 5);
  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_TRUE(verification->valid());
  EXPECT_EQ(verification->entries_checked(), 5);
  EXPECT_EQ(verification->first_sequence(), 1);
  EXPECT_EQ(verification->last_sequence(), 5);
  EXPECT_EQ(verification->first_invalid_sequence(), 0);
  pqxx::connection connection(database_url());
  pqxx::nontransaction tx(connection);
  EXPECT_EQ(verification->head_hash(),
            tx.exec1("SELECT hash FROM audit_log WHERE tenant = 'fr'"
                     " AND sequence = 5")[0]
                .as<std::string>());

  verification = Verify(admin_, 2, 4);
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification->valid());
  EXPECT_EQ(verification->entries_checked(), 3);

  EXPECT_THAT(std::string(Verify(admin_, -1).status().message()),
              HasSubstr("start_sequence"));
  EXPECT_THAT(std::string(Verify(admin_, 4, 2).status().message()),
              HasSubstr("end_sequence"));
}

TEST_F(AuditAdminTest, EditedRecordIsAHashMismatchAtItsSequence) {
  AppendEntries("fr", 5);
  Sql("UPDATE audit_log SET payload = '{\"n\":33}'"
      " WHERE tenant = 'fr' AND sequence = 3");
  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_FALSE(verification->valid());
  EXPECT_EQ(verification->failure(),
            v1::AuditVerification::FAILURE_HASH_MISMATCH);
  EXPECT_EQ(verification->first_invalid_sequence(), 3);
  EXPECT_EQ(verification->entries_checked(), 2);
  EXPECT_EQ(verification->last_sequence(), 2);
}

TEST_F(AuditAdminTest, RecomputedHashBreaksTheNextLink) {
  AppendEntries("fr", 5);
  // The intruder edits entry 3 and recomputes its hash: entry 4 still
  // points at the old one.
  v1::AuditEntry third;
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                third = ReadAuditEntries(tx, "fr", 3, 3, 1).at(0);
                return absl::OkStatus();
              }).ok());
  third.set_payload("{\"n\":33}");
  Sql(absl::StrCat("UPDATE audit_log SET payload = '{\"n\":33}', hash = '",
                   AuditEntryHash("fr", third),
                   "' WHERE tenant = 'fr' AND sequence = 3"));
  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok());
  EXPECT_FALSE(verification->valid());
  EXPECT_EQ(verification->failure(),
            v1::AuditVerification::FAILURE_CHAIN_BROKEN);
  EXPECT_EQ(verification->first_invalid_sequence(), 4);
}

TEST_F(AuditAdminTest, DeletedRecordIsASequenceGap) {
  AppendEntries("fr", 5);
  Sql("DELETE FROM audit_log WHERE tenant = 'fr' AND sequence = 3");
  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_FALSE(verification->valid());
  EXPECT_EQ(verification->failure(),
            v1::AuditVerification::FAILURE_SEQUENCE_GAP);
  // Reported at the missing record.
  EXPECT_EQ(verification->first_invalid_sequence(), 3);
  EXPECT_EQ(verification->last_sequence(), 2);
}

TEST_F(AuditAdminTest, CommandVerifiesAndExitsNonZeroOnTampering) {
  AppendEntries("fr", 4);
  std::string out, err;
  ASSERT_EQ(RunCommand({"audit", "verify", "--tenant=fr",
                        "--pg_url=" + database_url()},
                       &out, &err),
            0)
      << err;
  nlohmann::json report = nlohmann::json::parse(out);
  EXPECT_EQ(report["valid"], true);
  EXPECT_EQ(report["entries_checked"], "4");  // int64 in proto JSON
  EXPECT_EQ(report["failure"], "FAILURE_UNSPECIFIED");

  Sql("UPDATE audit_log SET subject = 'tenants/fr/rules/other'"
      " WHERE tenant = 'fr' AND sequence = 2");
  ASSERT_EQ(RunCommand({"audit", "verify", "--tenant", "fr",
                        "--pg_url=" + database_url()},
                       &out),
            1);
  report = nlohmann::json::parse(out);
  EXPECT_EQ(report["valid"], false);
  EXPECT_EQ(report["failure"], "FAILURE_HASH_MISMATCH");
  EXPECT_EQ(report["first_invalid_sequence"], "2");

  // A range that ends before the edit is intact.
  EXPECT_EQ(RunCommand({"audit", "verify", "--tenant=fr", "--end_sequence=1",
                        "--pg_url=" + database_url()},
                       &out),
            0);
}

TEST_F(AuditAdminTest, CommandExportsEveryEntryAsVerifiableJsonLines) {
  AppendEntries("fr", 1500);  // more than one page of the export
  AppendEntries("it", 2);
  std::string out, err;
  // The URL from the environment, as deployments pass it.
  ASSERT_EQ(setenv("AGORA_PG_URL", database_url().c_str(), 1), 0);
  const int code = RunCommand({"audit", "export", "--tenant=fr"}, &out, &err);
  unsetenv("AGORA_PG_URL");
  ASSERT_EQ(code, 0) << err;

  const std::vector<std::string> lines =
      absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1500u);
  std::string previous_hash = kGenesisHash;
  for (size_t i = 0; i < lines.size(); ++i) {
    v1::AuditEntry entry;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(lines[i], &entry).ok())
        << lines[i];
    ASSERT_EQ(entry.sequence(), static_cast<int64_t>(i + 1));
    // An auditor can re-check the chain from the export alone.
    ASSERT_EQ(entry.previous_hash(), previous_hash);
    ASSERT_EQ(AuditEntryHash("fr", entry), entry.hash()) << lines[i];
    previous_hash = entry.hash();
  }
  EXPECT_EQ(nlohmann::json::parse(lines[0])["type"],
            "AUDIT_ENTRY_TYPE_RULE_CHANGED");
}

TEST_F(AuditAdminTest, ActionsOfATenantRecordWithoutWaitingForEachOther) {
  // An action's transaction records its entry and stays open...
  pqxx::connection slow_connection(database_url());
  pqxx::work slow(slow_connection);
  ASSERT_TRUE(AppendAuditEntry(slow, "fr", RecordNumber("fr", 1)).ok());
  // ...while another action of the same tenant records and commits; before
  // sealing existed it waited for the first one's commit (the chain's lock).
  absl::Status quick =
      pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        tx.exec("SET LOCAL lock_timeout = '2s'");
        return AppendAuditEntry(tx, "fr", RecordNumber("fr", 2));
      });
  ASSERT_TRUE(quick.ok()) << quick;
  SealAudit();  // does not wait for the open transaction either
  v1::ListAuditEntriesRequest request;
  request.set_parent("tenants/fr");
  EXPECT_EQ(Sequences(request), (std::vector<int64_t>{1}));

  slow.commit();
  EXPECT_EQ(Sequences(request), (std::vector<int64_t>{1, 2}))
      << "the late commit is sealed after the other";
  absl::StatusOr<v1::ListAuditEntriesResponse> listed =
      ListAuditEntries(context(), admin_, request);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->audit_entries(0).payload(), "{\"n\":2}");
  EXPECT_EQ(listed->audit_entries(1).payload(), "{\"n\":1}");
  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification->valid());
  EXPECT_EQ(verification->entries_checked(), 2);
}

TEST_F(AuditAdminTest, ReadsSealWhatWasCommittedBeforeThem) {
  RecordEntries("fr", 4);  // no sealer has run
  v1::ListAuditEntriesRequest request;
  request.set_parent("tenants/fr");
  EXPECT_EQ(Sequences(request), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM audit_pending"), 0);

  RecordEntries("fr", 2);
  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->last_sequence(), 6);

  RecordEntries("fr", 1);
  std::string out;
  ASSERT_EQ(RunCommand({"audit", "export", "--tenant=fr",
                        absl::StrCat("--pg_url=", database_url())},
                       &out),
            0);
  EXPECT_EQ(
      std::vector<std::string>(absl::StrSplit(out, '\n', absl::SkipEmpty()))
          .size(),
      7u);
}

TEST_F(AuditAdminTest, ConcurrentActionsAndSealersMakeOneUnbrokenChain) {
  constexpr int kWriters = 6;
  constexpr int kActionsEach = 30;
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kActionsEach; ++i) {
        absl::Status recorded =
            pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
              return AppendAuditEntry(
                  tx, "fr", RecordNumber("fr", w * kActionsEach + i + 1));
            });
        EXPECT_TRUE(recorded.ok()) << recorded;
      }
    });
  }
  // Two replicas' sealers at the same time as the writers.
  std::vector<std::thread> sealers;
  for (int s = 0; s < 2; ++s) {
    sealers.emplace_back([&] {
      while (writing) {
        EXPECT_TRUE(SealAllAuditChains(*pool_).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  writing = false;
  for (std::thread& thread : sealers) thread.join();

  absl::StatusOr<v1::AuditVerification> verification = Verify(admin_);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_TRUE(verification->valid());
  EXPECT_EQ(verification->entries_checked(), kWriters * kActionsEach);
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(DISTINCT payload) FROM audit_log"),
            kWriters * kActionsEach)
      << "every action sealed once";
}

TEST_F(AuditAdminTest, CommandRefusesBadUsageAndReportsUnreachableDatabase) {
  std::string out, err;
  EXPECT_EQ(RunCommand({"audit"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("usage"));
  EXPECT_EQ(RunCommand({"audit", "repair", "--tenant=fr"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("unknown subcommand"));
  EXPECT_EQ(RunCommand({"audit", "verify"}, &out, &err), 2);
  EXPECT_THAT(err, HasSubstr("--tenant"));
  EXPECT_EQ(RunCommand({"audit", "export", "--tenant=fr", "--start_sequence=2"},
                       &out, &err),
            2);
  EXPECT_EQ(RunCommand({"audit", "verify", "--tenant=../fr"}, &out, &err), 2);
  EXPECT_EQ(RunCommand({"audit", "verify", "--tenant=fr",
                        "--pg_url=postgresql://agora@127.0.0.1:1/none"},
                       &out, &err),
            2);
  EXPECT_THAT(err, HasSubstr("audit verify"));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace agora::moderation
