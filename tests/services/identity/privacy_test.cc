// GDPR export and erasure through the domain, on real PostgreSQL and Redis:
// what an export holds (everything the member provided, nothing of anyone
// else) and what erasure leaves (no personal data in any table, the outbox
// included, nor in identity's event stream; no working credential; a
// member.erased event).
#include "services/identity/domain/privacy.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agora/events/v1/events.pb.h"
#include "libs/auth/roles.h"
#include "libs/events/relay.h"
#include "libs/events/typed_event.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/passwords.h"
#include "services/identity/domain/profiles.h"
#include "services/identity/domain/roles.h"
#include "services/identity/domain/sessions.h"
#include "services/identity/domain/sign_up.h"
#include "services/identity/domain/trust.h"
#include "tests/harness/ports.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kPassword[] = "correct horse battery";

// What identity holds about one member, as the tests fill it in.
struct Person {
  std::string id;
  std::string name;  // tenants/fr/members/{id}
  std::string email;
  std::string display_name;
  std::string bio;
  std::string avatar;
  std::string subject;         // at the social provider
  std::string provider_email;  // as the provider gave it
};

class PrivacyTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure()) return;
    admin_ = AddPerson("fr", "Gaspard", {auth::kRoleTenantAdmin});
    alice_ = AddPerson("fr", "Alice");
    bob_ = AddPerson("fr", "Bertrand");
  }

  // A member with a profile, a linked Google identity and a title, whose
  // every personal value is distinct, so a scan finds no false match.
  Person AddPerson(const std::string& tenant, const std::string& first,
                   const std::vector<std::string>& roles = {}) {
    Person p;
    p.email = absl::StrCat(first, ".unique@example.", tenant);
    p.display_name = absl::StrCat(first, " Display");
    p.bio = absl::StrCat(first, " collects stamps from Tuvalu");
    p.avatar = absl::StrCat("https://img.example/", first, "-avatar.png");
    p.subject = absl::StrCat("google-subject-", first, "-81723");
    p.provider_email = absl::StrCat(first, ".gmail@mail.example");
    p.id = InsertMember(tenant, p.email, kPassword, p.display_name, roles);
    p.name = absl::StrCat("tenants/", tenant, "/members/", p.id);
    Exec("UPDATE members SET bio = $2, avatar_uri = $3 WHERE id = $1::uuid",
         p.id, p.bio, p.avatar);
    Exec(
        "INSERT INTO external_identities (id, tenant, member, provider,"
        " subject, email, email_verified) VALUES (gen_random_uuid(), $1,"
        " $2::uuid, 'google', $3, $4, true)",
        tenant, p.id, p.subject, p.provider_email);
    common::v1::Actor system;
    system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
    events::v1::Event title = events::NewEvent(
        events::v1::PRODUCER_RANKING, tenant, system, p.name, absl::Now());
    title.mutable_title_awarded()->set_member(p.name);
    title.mutable_title_awarded()->mutable_title()->set_title(
        absl::StrCat("tenants/", tenant, "/titles/respected-contributor"));
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  return ApplyTitleAwarded(context(), tx, title);
                }).ok());
    return p;
  }

  void Grant(const auth::Principal& caller, const Person& to,
             common::v1::Role role, const std::string& reason) {
    v1::GrantRoleRequest request;
    request.set_name(to.name);
    request.set_role(role);
    request.set_reason(reason);
    absl::StatusOr<v1::Member> granted = GrantRole(context(), caller, request);
    ASSERT_TRUE(granted.ok()) << granted.status();
  }

  absl::StatusOr<v1::MemberIdentityData> Export(const auth::Principal& caller,
                                                const std::string& name) {
    v1::ExportMemberDataRequest request;
    request.set_name(name);
    return ExportMemberData(context(), caller, request);
  }

  absl::StatusOr<v1::Member> Erase(const auth::Principal& caller,
                                   const std::string& name,
                                   const std::string& password = "",
                                   const std::string& etag = "") {
    v1::EraseMemberRequest request;
    request.set_name(name);
    request.set_password(password);
    request.set_etag(etag);
    request.set_reason("GDPR request #123");
    return EraseMember(context(), caller, request);
  }

  absl::StatusOr<v1::Session> LoginAs(const Person& person,
                                      const std::string& password) {
    v1::LoginRequest request;
    request.set_tenant("tenants/fr");
    request.set_email(person.email);
    request.set_password(password);
    return Login(context(), nullptr, CallInfo{"198.51.100.4"}, request);
  }

  // Events that carry the member's data, as identity announces them: a
  // password reset mail (e-mail) and a profile update (display name and
  // avatar), and a link notice (the provider's e-mail) whose subject is not
  // the member, so only its payload says whom it is about.
  void AnnounceEventsAbout(const Person& person) {
    v1::RequestPasswordResetRequest reset;
    reset.set_tenant("tenants/fr");
    reset.set_email(person.email);
    ASSERT_TRUE(RequestPasswordReset(context(), nullptr,
                                     CallInfo{"198.51.100.4"}, reset)
                    .ok());
    const auth::Principal self = Member("fr", person.id);
    v1::GetProfileRequest get;
    get.set_name(person.name + "/profile");
    absl::StatusOr<v1::Profile> profile =
        GetProfile(context(), &self, CallInfo{"198.51.100.4"}, get);
    ASSERT_TRUE(profile.ok()) << profile.status();
    v1::UpdateProfileRequest update;
    *update.mutable_profile() = *profile;
    update.mutable_profile()->set_bio(person.bio + " and Nauru");
    update.mutable_update_mask()->add_paths("bio");
    // Retried writes replay a saved answer: this one holds the profile.
    update.set_request_id(events::NewEventId());
    absl::StatusOr<v1::Profile> updated =
        UpdateProfile(context(), self, update);
    ASSERT_TRUE(updated.ok()) << updated.status();
    events::v1::Event linked = NewIdentityEvent(
        context(), "fr", SystemActor(), "tenants/fr/identityProviders/google");
    linked.mutable_account_linked()->set_member(person.name);
    linked.mutable_account_linked()->set_provider(
        "tenants/fr/identityProviders/google");
    linked.mutable_account_linked()->set_email(person.provider_email);
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  return AppendEvent(context(), tx, linked);
                }).ok());
  }

  // The stream the relay publishes identity's events to, as main.cc names it.
  std::string Stream() {
    return context().keys.SharedKey("events", {"identity"});
  }

  events::OutboxRelay MakeRelay() {
    return events::OutboxRelay(context().outbox, db_->url(), *pool_, *redis_,
                               {.stream = Stream()});
  }

  void PublishAll(events::OutboxRelay& relay) {
    for (absl::StatusOr<int> n = relay.PublishBatch(); n.ok() && *n > 0;
         n = relay.PublishBatch()) {
    }
    ASSERT_EQ(Query("SELECT count(*) FROM outbox WHERE published_at IS NULL"),
              "0");
  }

  // Every entry of identity's stream, each as the text of its fields (the
  // payload's bytes included), and the events they carry.
  std::vector<std::string> StreamEntries() {
    std::vector<std::string> entries;
    absl::StatusOr<redis::Reply> range =
        redis_->Run({"XRANGE", Stream(), "-", "+"});
    EXPECT_TRUE(range.ok()) << range.status();
    if (!range.ok()) return entries;
    for (const redis::Reply& entry : range->elements) {
      std::string fields;
      for (const redis::Reply& field : entry.elements.at(1).elements) {
        absl::StrAppend(&fields, field.text, "\n");
      }
      entries.push_back(std::move(fields));
    }
    return entries;
  }

  std::vector<std::string> EntriesHolding(const std::string& needle) {
    std::vector<std::string> found;
    for (const std::string& entry : StreamEntries()) {
      if (entry.find(needle) != std::string::npos) found.push_back(entry);
    }
    return found;
  }

  // "table.column" of every place in the identity schema holding `needle`:
  // each text-like column (text, varchar, json, text[] ...) as text, and
  // each bytea column (serialized protos) as bytes.
  std::vector<std::string> PlacesHolding(const std::string& needle) {
    std::vector<std::string> places;
    EXPECT_TRUE(
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          const pqxx::result columns = tx.exec(
              "SELECT table_name, column_name, data_type = 'bytea'"
              " FROM information_schema.columns c"
              " WHERE table_schema = current_schema()"
              " AND (data_type IN ('text', 'character varying', 'character',"
              "      'json', 'jsonb', 'bytea', 'uuid')"
              "      OR (data_type = 'ARRAY' AND udt_name IN"
              "          ('_text', '_varchar')))"
              " AND EXISTS (SELECT 1 FROM information_schema.tables t"
              "   WHERE t.table_schema = c.table_schema"
              "   AND t.table_name = c.table_name"
              "   AND t.table_type = 'BASE TABLE')"
              " ORDER BY table_name, column_name");
          EXPECT_GT(columns.size(), 50u);  // the scan sees the schema
          for (const pqxx::row& column : columns) {
            const std::string table = column[0].as<std::string>();
            const std::string name = column[1].as<std::string>();
            const bool bytes = column[2].as<bool>();
            const std::string quoted =
                absl::StrCat(tx.quote_name(table), ".", tx.quote_name(name));
            const std::string test =
                bytes ? absl::StrCat("position(convert_to($1, 'UTF8') in ",
                                     quoted, ") > 0")
                      : absl::StrCat("strpos(", quoted, "::text, $1) > 0");
            const pqxx::result hits = tx.exec_params(
                absl::StrCat("SELECT count(*) FROM ", tx.quote_name(table),
                             " WHERE ", test),
                needle);
            if (hits[0][0].as<int64_t>() > 0) {
              places.push_back(absl::StrCat(table, ".", name));
            }
          }
          return absl::OkStatus();
        }).ok());
    return places;
  }

  // The identity events of `type` in the outbox, oldest first.
  std::vector<events::v1::Event> Events(const std::string& type) {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  for (const pqxx::row& row : tx.exec_params(
                           "SELECT payload FROM outbox WHERE event_type = $1"
                           " ORDER BY id",
                           type)) {
                    events::v1::Event event;
                    event.ParseFromString(pqxx::binarystring(row[0]).str());
                    events.push_back(event);
                  }
                  return absl::OkStatus();
                }).ok());
    return events;
  }

  Person admin_, alice_, bob_;
};

std::string AsJson(const google::protobuf::Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

TEST_F(PrivacyTest, ExportHoldsEverythingTheMemberProvided) {
  Grant(TenantAdmin("fr", admin_.id), alice_, common::v1::ROLE_STAFF,
        "joins customer care");
  absl::StatusOr<v1::MemberIdentityData> data =
      Export(Member("fr", alice_.id), "tenants/fr/members/me");
  ASSERT_TRUE(data.ok()) << data.status();

  EXPECT_EQ(data->member().name(), alice_.name);
  EXPECT_EQ(data->member().email(), alice_.email);
  EXPECT_EQ(data->member().display_name(), alice_.display_name);
  EXPECT_THAT(data->member().roles(), Contains(common::v1::ROLE_STAFF));
  EXPECT_EQ(data->profile().bio(), alice_.bio);
  EXPECT_EQ(data->profile().avatar_uri(), alice_.avatar);
  ASSERT_EQ(data->profile().titles_size(), 1);
  ASSERT_EQ(data->external_identities_size(), 1);
  EXPECT_EQ(data->external_identities(0).subject(), alice_.subject);
  EXPECT_EQ(data->external_identities(0).email(), alice_.provider_email);
  EXPECT_EQ(data->external_identities(0).provider(),
            "tenants/fr/identityProviders/google");
  ASSERT_EQ(data->role_changes_size(), 1);
  EXPECT_EQ(data->role_changes(0).member(), alice_.name);
  EXPECT_EQ(data->role_changes(0).role(), common::v1::ROLE_STAFF);
  EXPECT_EQ(data->role_changes(0).change(), v1::RoleChange::CHANGE_GRANTED);
  EXPECT_EQ(data->role_changes(0).reason(), "joins customer care");
  EXPECT_TRUE(data->has_export_time());

  // The JSON form a member receives carries the same.
  const std::string json = AsJson(*data);
  for (const std::string& value :
       {alice_.email, alice_.display_name, alice_.bio, alice_.avatar,
        alice_.subject, alice_.provider_email}) {
    EXPECT_THAT(json, HasSubstr(value));
  }
  // Never a credential.
  const std::string hash =
      Query("SELECT password_hash FROM members WHERE id = $1::uuid", alice_.id);
  ASSERT_FALSE(hash.empty());
  EXPECT_THAT(json, Not(HasSubstr(hash)));
}

TEST_F(PrivacyTest, ExportHoldsNoOtherMembersData) {
  // The admin changed Alice's roles; Alice, made an admin, changed Bob's.
  // Bob and the admin have profiles, identities and titles of their own.
  Grant(TenantAdmin("fr", admin_.id), alice_, common::v1::ROLE_TENANT_ADMIN,
        "runs the French community");
  Grant(TenantAdmin("fr", alice_.id), bob_, common::v1::ROLE_JURY,
        "jury of the spring contest");
  Grant(TenantAdmin("fr", admin_.id), bob_, common::v1::ROLE_STAFF,
        "hired by the bank");

  absl::StatusOr<v1::MemberIdentityData> data =
      Export(Member("fr", alice_.id), alice_.name);
  ASSERT_TRUE(data.ok()) << data.status();
  const std::string json = AsJson(*data);
  const std::string bytes = data->SerializeAsString();
  ASSERT_THAT(json, HasSubstr(alice_.email));
  for (const Person& other : {admin_, bob_}) {
    for (const std::string& value :
         {other.id, other.email, other.display_name, other.bio, other.avatar,
          other.subject, other.provider_email}) {
      EXPECT_THAT(json, Not(HasSubstr(value))) << value;
      EXPECT_THAT(bytes, Not(HasSubstr(value))) << value;
    }
  }
  EXPECT_THAT(json, Not(HasSubstr("jury of the spring contest")));
  EXPECT_THAT(json, Not(HasSubstr("hired by the bank")));
  // Who changed her roles stays known by kind, not by person.
  ASSERT_EQ(data->role_changes_size(), 1);
  EXPECT_EQ(data->role_changes(0).actor().type(),
            common::v1::ACTOR_TYPE_MEMBER);
  EXPECT_EQ(data->role_changes(0).actor().name(), "");
  EXPECT_EQ(data->role_changes(0).reason(), "runs the French community");

  // The tenant's own audit still names the admin.
  v1::ListRoleChangesRequest audit;
  audit.set_parent("tenants/fr");
  audit.set_member(alice_.name);
  absl::StatusOr<v1::ListRoleChangesResponse> listed =
      ListRoleChanges(context(), TenantAdmin("fr", admin_.id), audit);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->role_changes_size(), 1);
  EXPECT_EQ(listed->role_changes(0).actor().name(), admin_.name);
}

TEST_F(PrivacyTest, OnlyTheMemberOrTheirTenantAdminsExport) {
  const Person italian_admin =
      AddPerson("it", "Giulia", {auth::kRoleTenantAdmin});
  for (const auth::Principal& caller :
       {Member("fr", bob_.id), Moderator("fr", bob_.id),
        WithRole(Member("fr", bob_.id), auth::kRoleStaff),
        TenantAdmin("it", italian_admin.id),
        Service("fr", {"identity.read"})}) {
    EXPECT_EQ(Export(caller, alice_.name).status().code(),
              absl::StatusCode::kPermissionDenied)
        << caller.tenant << " " << caller.roles.back();
  }
  // "me" is always the caller, never someone named in the request.
  absl::StatusOr<v1::MemberIdentityData> own =
      Export(Member("fr", bob_.id), "tenants/fr/members/me");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->member().email(), bob_.email);

  absl::StatusOr<v1::MemberIdentityData> by_admin =
      Export(TenantAdmin("fr", admin_.id), alice_.name);
  ASSERT_TRUE(by_admin.ok()) << by_admin.status();
  EXPECT_EQ(by_admin->member().email(), alice_.email);
  EXPECT_EQ(Export(PlatformAdmin(admin_.id), alice_.name).status().code(),
            absl::StatusCode::kOk);
}

TEST_F(PrivacyTest, ErasureLeavesNoPersonalDataInAnyTable) {
  Grant(TenantAdmin("fr", admin_.id), alice_, common::v1::ROLE_MODERATOR,
        "Alice Display moderates well");
  ASSERT_TRUE(LoginAs(alice_, kPassword).ok());
  AnnounceEventsAbout(alice_);
  AnnounceEventsAbout(bob_);
  if (HasFatalFailure()) return;
  const std::string hash =
      Query("SELECT password_hash FROM members WHERE id = $1::uuid", alice_.id);
  const std::vector<std::string> personal = {
      alice_.email, alice_.display_name, alice_.bio, alice_.avatar,
      alice_.subject, alice_.provider_email, hash,
      // Lower-cased keys are stored beside the values.
      absl::AsciiStrToLower(alice_.email),
      absl::AsciiStrToLower(alice_.display_name)};
  // The scan finds them before: it does look where they are.
  EXPECT_THAT(PlacesHolding(alice_.email), Contains("members.email"));
  EXPECT_THAT(PlacesHolding(alice_.subject),
              Contains("external_identities.subject"));
  EXPECT_THAT(PlacesHolding(alice_.email), Contains("outbox.payload"));
  EXPECT_THAT(PlacesHolding(alice_.display_name), Contains("outbox.payload"));
  EXPECT_THAT(PlacesHolding(alice_.provider_email), Contains("outbox.payload"));

  absl::StatusOr<v1::Member> erased =
      Erase(Member("fr", alice_.id), alice_.name, kPassword);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->state(), v1::Member::STATE_ERASED);
  EXPECT_EQ(erased->email(), "");
  EXPECT_EQ(erased->display_name(), "");
  EXPECT_FALSE(erased->has_password());

  // Nowhere, the outbox included: the events that carried her data (the
  // role_changed with the admin's words, the reset mail, the profile, the
  // link notice) went with the erasure.
  for (const std::string& value : personal) {
    EXPECT_THAT(PlacesHolding(value), IsEmpty()) << value;
  }
  // What is left about her is the notice to anonymise, which names her by
  // her opaque id only.
  for (const pqxx::row& row : [&] {
         pqxx::connection connection(db_->url());
         pqxx::nontransaction tx(connection);
         return tx.exec_params(
             "SELECT event_type FROM outbox"
             " WHERE position(convert_to($1, 'UTF8') in payload) > 0",
             alice_.name);
       }()) {
    EXPECT_EQ(row[0].as<std::string>(), "member_erased");
  }
  EXPECT_EQ(Events("member_erased").size(), 1u);
  // Links, roles, titles, figures and tokens are gone; the audit of role
  // changes stays without the admin's words about her.
  for (const char* table :
       {"external_identities", "member_roles", "member_titles",
        "member_activity", "refresh_tokens", "one_time_tokens"}) {
    EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM ", table,
                                 " WHERE member = $1::uuid"),
                    alice_.id),
              "0")
        << table;
  }
  EXPECT_EQ(Query("SELECT reason FROM role_changes WHERE member = $1::uuid",
                  alice_.id),
            "");
  // Others keep theirs, their events too.
  EXPECT_THAT(PlacesHolding(bob_.email), Contains("members.email"));
  EXPECT_THAT(PlacesHolding(bob_.email), Contains("outbox.payload"));
  EXPECT_THAT(PlacesHolding(bob_.provider_email), Contains("outbox.payload"));
  EXPECT_THAT(PlacesHolding(bob_.display_name),
              Contains("idempotent_responses.response"));
  EXPECT_THAT(PlacesHolding(bob_.subject),
              Contains("external_identities.subject"));
}

TEST_F(PrivacyTest, ErasureTakesTheMembersEventsBackFromTheStream) {
  // Chloé signs up (member_registered with her name, a verification mail
  // with her address), asks for a reset, edits her profile; Bob too.
  v1::SignUpRequest sign_up;
  sign_up.set_parent("tenants/fr");
  sign_up.set_email("chloe.unique@example.fr");
  sign_up.set_password(kPassword);
  sign_up.set_display_name("Chloe Display");
  sign_up.set_terms_version("v1");
  absl::StatusOr<v1::Member> chloe_member =
      SignUp(context(), nullptr, CallInfo{"198.51.100.9"}, sign_up);
  ASSERT_TRUE(chloe_member.ok()) << chloe_member.status();
  Person chloe;
  chloe.name = chloe_member->name();
  chloe.id = chloe.name.substr(chloe.name.rfind('/') + 1);
  chloe.email = sign_up.email();
  chloe.display_name = sign_up.display_name();
  chloe.bio = "Chloe bakes";
  chloe.provider_email = "chloe.gmail@mail.example";
  AnnounceEventsAbout(chloe);
  AnnounceEventsAbout(bob_);
  if (HasFatalFailure()) return;
  events::OutboxRelay relay = MakeRelay();
  PublishAll(relay);
  // The stream does carry her data before.
  ASSERT_EQ(EntriesHolding(chloe.email).size(), 2u);  // verification, reset
  ASSERT_THAT(EntriesHolding(chloe.display_name), Not(IsEmpty()));
  ASSERT_EQ(EntriesHolding(chloe.provider_email).size(), 1u);
  const size_t bobs = EntriesHolding(bob_.name).size();
  ASSERT_GE(bobs, 3u);

  ASSERT_TRUE(Erase(TenantAdmin("fr", admin_.id), chloe.name).ok());
  PublishAll(relay);  // member_erased goes out

  for (const std::string& value :
       {chloe.email, chloe.display_name, chloe.provider_email}) {
    EXPECT_THAT(EntriesHolding(value), IsEmpty()) << value;
  }
  const std::vector<std::string> about_her = EntriesHolding(chloe.name);
  ASSERT_EQ(about_her.size(), 1u);
  EXPECT_THAT(about_her[0], HasSubstr("member_erased"));
  EXPECT_EQ(EntriesHolding(bob_.name).size(), bobs) << "Bob's stay";
  EXPECT_EQ(EntriesHolding(bob_.email).size(), 1u);
  EXPECT_EQ(Query("SELECT count(*) FROM forgotten_stream_entries"), "0");
}

TEST_F(PrivacyTest, ErasureWhileRedisIsDownLeavesTheStreamToTheRelay) {
  AnnounceEventsAbout(alice_);
  if (HasFatalFailure()) return;
  events::OutboxRelay relay = MakeRelay();
  PublishAll(relay);
  ASSERT_EQ(EntriesHolding(alice_.email).size(), 1u);

  redis::RedisOptions nowhere;
  nowhere.port = testing::FreePort();
  nowhere.connect_timeout = absl::Milliseconds(100);
  redis::RedisClient down(nowhere);
  IdentityContext cut_off{.pool = *pool_,
                          .redis = down,
                          .keys = context().keys,
                          .signing_keys = *keys_,
                          .passwords = *hasher_};
  v1::EraseMemberRequest request;
  request.set_name(alice_.name);
  absl::StatusOr<v1::Member> erased =
      EraseMember(cut_off, TenantAdmin("fr", admin_.id), request);
  ASSERT_TRUE(erased.ok()) << erased.status();  // the erasure stands
  EXPECT_EQ(erased->state(), v1::Member::STATE_ERASED);
  EXPECT_THAT(PlacesHolding(alice_.email), IsEmpty());
  EXPECT_EQ(EntriesHolding(alice_.email).size(), 1u) << "Redis was away";
  EXPECT_NE(Query("SELECT count(*) FROM forgotten_stream_entries"), "0");

  // Redis is back: the relay deletes what the erasure noted.
  ASSERT_TRUE(relay.DeleteForgottenEntries().ok());
  for (const std::string& value :
       {alice_.email, alice_.display_name, alice_.provider_email}) {
    EXPECT_THAT(EntriesHolding(value), IsEmpty()) << value;
  }
  EXPECT_EQ(Query("SELECT count(*) FROM forgotten_stream_entries"), "0");
}

TEST_F(PrivacyTest, ErasureRevokesSessionsAndCredentials) {
  absl::StatusOr<v1::Session> session = LoginAs(alice_, kPassword);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE(Erase(Member("fr", alice_.id), alice_.name, kPassword).ok());

  v1::RefreshSessionRequest refresh;
  refresh.set_tenant("tenants/fr");
  refresh.set_refresh_token(session->refresh_token());
  EXPECT_EQ(
      RefreshSession(context(), nullptr, CallInfo{"198.51.100.4"}, refresh)
          .status()
          .code(),
      absl::StatusCode::kUnauthenticated);
  absl::StatusOr<v1::Session> login = LoginAs(alice_, kPassword);
  EXPECT_EQ(login.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status::ReasonOf(login.status()), "INVALID_CREDENTIALS");
}

TEST_F(PrivacyTest, ErasureAnnouncesMemberErased) {
  ASSERT_TRUE(Erase(TenantAdmin("fr", admin_.id), alice_.name).ok());
  const std::vector<events::v1::Event> events = Events("member_erased");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].tenant(), "tenants/fr");
  EXPECT_EQ(events[0].subject(), alice_.name);
  EXPECT_EQ(events[0].producer(), events::v1::PRODUCER_IDENTITY);
  ASSERT_TRUE(events[0].has_member_erased());
  EXPECT_EQ(events[0].member_erased().member(), alice_.name);
  EXPECT_TRUE(events[0].member_erased().has_erase_time());
  // The event itself carries nothing but the id.
  const std::string bytes = events[0].SerializeAsString();
  EXPECT_THAT(bytes, Not(HasSubstr(alice_.email)));
  EXPECT_THAT(bytes, Not(HasSubstr(alice_.display_name)));
}

TEST_F(PrivacyTest, ErasingTwiceIsHarmless) {
  absl::StatusOr<v1::Member> first =
      Erase(Member("fr", alice_.id), alice_.name, kPassword);
  ASSERT_TRUE(first.ok()) << first.status();
  // A retry, by the member (whose token lives on a few minutes) or an admin.
  absl::StatusOr<v1::Member> again =
      Erase(Member("fr", alice_.id), alice_.name, kPassword);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state(), v1::Member::STATE_ERASED);
  EXPECT_EQ(again->etag(), first->etag());
  ASSERT_TRUE(Erase(TenantAdmin("fr", admin_.id), alice_.name).ok());
  EXPECT_EQ(Events("member_erased").size(), 1u);
  EXPECT_EQ(Query("SELECT state FROM members WHERE id = $1::uuid", alice_.id),
            "4");
}

TEST_F(PrivacyTest, OnlyTheMemberOrTheirTenantAdminsErase) {
  const Person italian_admin =
      AddPerson("it", "Giulia", {auth::kRoleTenantAdmin});
  for (const auth::Principal& caller :
       {Member("fr", bob_.id), Moderator("fr", bob_.id),
        TenantAdmin("it", italian_admin.id),
        Service("fr", {"identity.read", "identity.write"})}) {
    EXPECT_EQ(Erase(caller, alice_.name, kPassword).status().code(),
              absl::StatusCode::kPermissionDenied)
        << caller.tenant << " " << caller.roles.back();
  }
  EXPECT_EQ(Query("SELECT email FROM members WHERE id = $1::uuid", alice_.id),
            alice_.email);
  EXPECT_TRUE(Events("member_erased").empty());
  // The tenant's admin may, without her password.
  absl::StatusOr<v1::Member> erased =
      Erase(TenantAdmin("fr", admin_.id), alice_.name);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->state(), v1::Member::STATE_ERASED);
}

TEST_F(PrivacyTest, SelfErasureNeedsThePassword) {
  for (const std::string& password :
       {std::string(""), std::string("wrong horse battery")}) {
    absl::StatusOr<v1::Member> refused =
        Erase(Member("fr", alice_.id), alice_.name, password);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated)
        << password;
  }
  EXPECT_EQ(Query("SELECT state FROM members WHERE id = $1::uuid", alice_.id),
            "2");
  EXPECT_TRUE(Events("member_erased").empty());
}

TEST_F(PrivacyTest, StaleEtagRefusesErasure) {
  absl::StatusOr<v1::MemberIdentityData> read =
      Export(Member("fr", alice_.id), alice_.name);
  ASSERT_TRUE(read.ok());
  Grant(TenantAdmin("fr", admin_.id), alice_, common::v1::ROLE_JURY, "");
  absl::StatusOr<v1::Member> refused = Erase(
      TenantAdmin("fr", admin_.id), alice_.name, "", read->member().etag());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(refused.status()), "ETAG_MISMATCH");
  EXPECT_EQ(Query("SELECT state FROM members WHERE id = $1::uuid", alice_.id),
            "2");
}

TEST_F(PrivacyTest, BadNamesAreRefusedNamingTheField) {
  for (const std::string& name :
       {std::string(""), std::string("tenants/fr/members/alice"),
        std::string("members/") + alice_.id}) {
    absl::StatusOr<v1::MemberIdentityData> exported =
        Export(TenantAdmin("fr", admin_.id), name);
    EXPECT_EQ(exported.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(exported.status().message()),
                ::testing::StartsWith("name:"));
    absl::StatusOr<v1::Member> erased =
        Erase(TenantAdmin("fr", admin_.id), name);
    EXPECT_THAT(std::string(erased.status().message()),
                ::testing::StartsWith("name:"));
  }
  v1::EraseMemberRequest long_reason;
  long_reason.set_name(alice_.name);
  long_reason.set_reason(std::string(501, 'x'));
  EXPECT_THAT(std::string(EraseMember(context(), TenantAdmin("fr", admin_.id),
                                      long_reason)
                              .status()
                              .message()),
              ::testing::StartsWith("reason:"));
  EXPECT_EQ(Query("SELECT count(*) FROM members WHERE state = 4"), "0");
}

}  // namespace
}  // namespace agora::identity
