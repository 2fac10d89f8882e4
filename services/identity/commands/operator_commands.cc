#include "services/identity/commands/operator_commands.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/auth/jwks.h"
#include "libs/auth/roles.h"
#include "libs/config/secret.h"
#include "libs/pg/arrays.h"
#include "libs/pg/transaction.h"
#include "services/identity/domain/display_name.h"
#include "services/identity/domain/email_address.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/privacy.h"
#include "services/identity/repository/signing_keys.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

// The operator acts as a platform admin of no particular member.
auth::Principal OperatorPrincipal(const std::string& tenant) {
  auth::Principal principal;
  principal.subject = "00000000-0000-0000-0000-000000000000";
  principal.tenant = tenant;
  principal.roles = {auth::kRoleMember, auth::kRolePlatformAdmin};
  return principal;
}

int Fail(const absl::Status& status) {
  std::cerr << "agora-identity: " << status << "\n";
  return 1;
}

// {"tenants":[{"id","display_name","languages":[..],"time_zone",
//   "hosts":[..],"reserved_display_names":[..]}],
//  "members":[{"tenant","email","display_name","roles":[..],
//   "verified_customer":bool,"trust_level":0-4}]}
// Announces every tenant and the seeded members as identity's events would
// have on creation, on every run: the other services keep their own views of
// tenants and members from these events (upserts), and a service deployed
// after the seed learns them this way too.
absl::Status AnnounceSeeded(IdentityContext& context,
                            pqxx::transaction_base& tx,
                            const std::vector<std::string>& member_ids) {
  for (const pqxx::row& row :
       tx.exec("SELECT id, display_name, default_language, allowed_languages,"
               " time_zone FROM tenants ORDER BY id")) {
    const std::string tenant = row[0].as<std::string>();
    events::v1::Event event = NewIdentityEvent(
        context, tenant, SystemActor(), absl::StrCat("tenants/", tenant));
    events::v1::TenantCreated& created = *event.mutable_tenant_created();
    created.set_tenant(absl::StrCat("tenants/", tenant));
    created.set_display_name(row[1].as<std::string>());
    created.set_default_language(row[2].as<std::string>());
    for (std::string& language : pg::ParseTextArray(row[3])) {
      created.add_allowed_languages(std::move(language));
    }
    created.set_time_zone(row[4].as<std::string>());
    if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
  }
  for (const std::string& id : member_ids) {
    const pqxx::result rows = tx.exec_params(
        "SELECT tenant, display_name, language, verified_customer,"
        " (extract(epoch FROM create_time) * 1000000)::bigint"
        " FROM members WHERE id = $1::uuid",
        id);
    if (rows.empty()) continue;
    const std::string tenant = rows[0][0].as<std::string>();
    const std::string name = absl::StrCat("tenants/", tenant, "/members/", id);
    events::v1::Event event =
        NewIdentityEvent(context, tenant, SystemActor(), name);
    events::v1::MemberRegistered& registered =
        *event.mutable_member_registered();
    registered.set_member(name);
    registered.set_display_name(rows[0][1].as<std::string>());
    registered.set_language(rows[0][2].as<std::string>());
    registered.set_method(events::v1::SIGN_UP_METHOD_PASSWORD);
    registered.set_verified_customer(rows[0][3].as<bool>());
    *registered.mutable_create_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            rows[0][4].as<int64_t>());
    if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Seed(IdentityContext& context, const OperatorOptions& options) {
  std::ifstream in(options.seed_file);
  if (!in) return absl::NotFoundError("cannot read --seed_file");
  const nlohmann::json seed = nlohmann::json::parse(in, nullptr, false);
  if (seed.is_discarded()) return absl::InvalidArgumentError("bad JSON seed");
  absl::StatusOr<std::string> password =
      config::ReadSecret(options.seed_password);
  if (!password.ok()) return password.status();
  absl::StatusOr<std::string> hash = context.passwords.Hash(*password);
  if (!hash.ok()) return hash.status();
  return pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        for (const auto& t : seed.value("tenants", nlohmann::json::array())) {
          const std::vector<std::string> languages =
              t.value("languages", std::vector<std::string>{"fr"});
          tx.exec_params(
              "INSERT INTO tenants (id, display_name, default_language,"
              " allowed_languages, time_zone, state, hosts,"
              " reserved_display_names, terms_version)"
              " VALUES ($1, $2, $3, $4, $5, 1, $6, $7, 'v1')"
              " ON CONFLICT (id) DO NOTHING",
              t.value("id", ""), t.value("display_name", ""), languages.front(),
              ToTextArray(languages), t.value("time_zone", "Europe/Paris"),
              ToTextArray(t.value("hosts", std::vector<std::string>{})),
              ToTextArray(t.value("reserved_display_names",
                                  std::vector<std::string>{})));
          for (const std::string& host :
               t.value("hosts", std::vector<std::string>{})) {
            tx.exec_params(
                "INSERT INTO tenant_hosts (host, tenant) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING",
                host, t.value("id", ""));
          }
        }
        std::vector<std::string> seeded_members;
        for (const auto& m : seed.value("members", nlohmann::json::array())) {
          absl::StatusOr<EmailAddress> email =
              NormalizeEmail("email", m.value("email", ""));
          if (!email.ok()) return email.status();
          absl::StatusOr<std::string> key =
              DisplayNameKey(m.value("display_name", ""));
          if (!key.ok()) return key.status();
          const pqxx::result row = tx.exec_params(
              "INSERT INTO members (id, tenant, email, email_key, "
              "email_verified,"
              " password_hash, display_name, display_name_key, language, state,"
              " trust_level, verified_customer, accepted_terms_version)"
              " SELECT gen_random_uuid(), $1, $2, $3, true, $4, $5, $6,"
              " t.default_language, 2, $7, $8, t.terms_version"
              " FROM tenants t WHERE t.id = $1"
              " ON CONFLICT (tenant, email_key) WHERE email_key IS NOT NULL"
              " DO UPDATE SET password_hash = excluded.password_hash"
              " RETURNING id::text",
              m.value("tenant", ""), email->normalized, email->key, *hash,
              m.value("display_name", ""), *key, m.value("trust_level", 2),
              m.value("verified_customer", false));
          if (row.empty()) {
            return absl::NotFoundError(absl::StrCat(
                "seed member of unknown tenant ", m.value("tenant", "")));
          }
          for (const std::string& role :
               m.value("roles", std::vector<std::string>{})) {
            tx.exec_params(
                "INSERT INTO member_roles (member, role) VALUES ($1::uuid, $2)"
                " ON CONFLICT DO NOTHING",
                row[0][0].as<std::string>(), role);
          }
          std::cout << m.value("tenant", "") << " " << email->normalized << " "
                    << row[0][0].as<std::string>() << "\n";
          seeded_members.push_back(row[0][0].as<std::string>());
        }
        return AnnounceSeeded(context, tx, seeded_members);
      });
}

}  // namespace

int RunOperatorCommand(IdentityContext& context,
                       const std::vector<std::string>& args,
                       const OperatorOptions& options) {
  if (args.size() == 2 && args[0] == "keys" && args[1] == "rotate") {
    if (absl::Status s = context.signing_keys.Rotate(); !s.ok()) return Fail(s);
    std::cout << "current signing key: " << context.signing_keys.CurrentKeyId()
              << "\n";
    return 0;
  }
  if (args.size() == 2 && args[0] == "keys" && args[1] == "jwks") {
    std::cout << auth::ToJwks(*context.signing_keys.Keys()) << "\n";
    return 0;
  }
  if (args.size() == 1 && args[0] == "seed") {
    if (absl::Status s = Seed(context, options); !s.ok()) return Fail(s);
    return 0;
  }
  if (args.size() == 1 && (args[0] == "export" || args[0] == "erase")) {
    const size_t slash = options.member.find('/', 8);
    const std::string tenant =
        options.member.substr(8, slash == std::string::npos ? 0 : slash - 8);
    const auth::Principal operator_principal = OperatorPrincipal(tenant);
    google::protobuf::util::JsonPrintOptions json;
    json.add_whitespace = true;
    std::string text;
    if (args[0] == "export") {
      v1::ExportMemberDataRequest request;
      request.set_name(options.member);
      absl::StatusOr<v1::MemberIdentityData> data =
          ExportMemberData(context, operator_principal, request);
      if (!data.ok()) return Fail(data.status());
      (void)google::protobuf::util::MessageToJsonString(*data, &text, json);
    } else {
      v1::EraseMemberRequest request;
      request.set_name(options.member);
      request.set_reason(options.reason);
      absl::StatusOr<v1::Member> erased =
          EraseMember(context, operator_principal, request);
      if (!erased.ok()) return Fail(erased.status());
      (void)google::protobuf::util::MessageToJsonString(*erased, &text, json);
    }
    std::cout << text << "\n";
    return 0;
  }
  std::cerr << "usage: agora-identity [keys rotate | keys jwks | seed | export "
               "| erase]\n";
  return 2;
}

}  // namespace agora::identity
