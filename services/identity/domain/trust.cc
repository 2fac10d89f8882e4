#include "services/identity/domain/trust.h"

#include <array>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

constexpr std::array<absl::string_view, 2> kMutablePolicyFields = {
    "thresholds", "demotion_hold"};

void AddThreshold(v1::TrustPolicy& policy, common::v1::TrustLevel level,
                  int64_t reputation, int age_days, int posts, int accepted,
                  int active_days, int removals) {
  v1::TrustThreshold* t = policy.add_thresholds();
  t->set_level(level);
  t->set_min_reputation(reputation);
  t->mutable_min_account_age()->set_seconds(int64_t{age_days} * 86400);
  t->set_min_published_posts(posts);
  t->set_min_accepted_answers(accepted);
  t->set_min_active_days(active_days);
  t->set_max_recent_removals(removals);
}

absl::StatusOr<v1::TrustPolicy> LoadPolicy(pqxx::transaction_base& tx,
                                           absl::string_view tenant,
                                           int64_t* version = nullptr) {
  const pqxx::result rows = tx.exec_params(
      "SELECT policy, version FROM trust_policies WHERE tenant = $1",
      std::string(tenant));
  v1::TrustPolicy policy = DefaultTrustPolicy(tenant);
  int64_t current = 0;
  if (!rows.empty()) {
    policy.ParseFromString(pqxx::binarystring(rows[0][0]).str());
    current = rows[0][1].as<int64_t>();
  }
  policy.set_name(absl::StrCat("tenants/", tenant, "/trustPolicy"));
  policy.set_etag(absl::StrCat("v", current));
  if (version != nullptr) *version = current;
  return policy;
}

struct Figures {
  int64_t reputation = 0, published_posts = 0, accepted_answers = 0,
          active_days = 0;
};

// The highest level (0-4) whose thresholds `figures` meet.
int EligibleLevel(const v1::TrustPolicy& policy, const Figures& figures,
                  absl::Duration account_age) {
  int level = 0;
  for (const v1::TrustThreshold& t : policy.thresholds()) {
    const bool met =
        figures.reputation >= t.min_reputation() &&
        account_age >= absl::Seconds(t.min_account_age().seconds()) &&
        figures.published_posts >= t.min_published_posts() &&
        figures.accepted_answers >= t.min_accepted_answers() &&
        figures.active_days >= t.min_active_days();
    if (!met) break;
    level = static_cast<int>(t.level()) - 1;
  }
  return level;
}

absl::Status AnnounceTrustChange(IdentityContext& context,
                                 pqxx::transaction_base& tx,
                                 const common::v1::Actor& actor,
                                 const MemberRecord& member, int new_level,
                                 bool automatic, absl::string_view reason) {
  const std::string resource = MemberResourceName(member.tenant, member.id);
  events::v1::Event event =
      NewIdentityEvent(context, member.tenant, actor, resource);
  events::v1::TrustLevelChanged* payload = event.mutable_trust_level_changed();
  payload->set_member(resource);
  payload->set_previous_trust_level(
      static_cast<common::v1::TrustLevel>(member.trust_level + 1));
  payload->set_trust_level(static_cast<common::v1::TrustLevel>(new_level + 1));
  payload->set_automatic(automatic);
  payload->set_reason(std::string(reason));
  return AppendEvent(context, tx, event);
}

}  // namespace

v1::TrustPolicy DefaultTrustPolicy(absl::string_view tenant) {
  v1::TrustPolicy policy;
  policy.set_name(absl::StrCat("tenants/", tenant, "/trustPolicy"));
  AddThreshold(policy, common::v1::TRUST_LEVEL_BASIC, 0, 1, 1, 0, 1, 3);
  AddThreshold(policy, common::v1::TRUST_LEVEL_MEMBER, 50, 7, 5, 0, 5, 2);
  AddThreshold(policy, common::v1::TRUST_LEVEL_REGULAR, 300, 30, 20, 2, 20, 1);
  AddThreshold(policy, common::v1::TRUST_LEVEL_LEADER, 2000, 180, 100, 20, 60,
               0);
  policy.mutable_demotion_hold()->set_seconds(30 * 86400);
  return policy;
}

absl::StatusOr<v1::Member> SetTrustLevel(
    IdentityContext& context, const auth::Principal& caller,
    const v1::SetTrustLevelRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireTenantRole(
          caller, name->tenant, {auth::kRoleModerator, auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (request.trust_level() < common::v1::TRUST_LEVEL_NEW ||
      request.trust_level() > common::v1::TRUST_LEVEL_LEADER) {
    return absl::InvalidArgumentError(
        "trust_level: must be TRUST_LEVEL_NEW to TRUST_LEVEL_LEADER");
  }
  if (absl::Status s = ValidateText("reason", request.reason(), 1, 500);
      !s.ok()) {
    return s;
  }
  const int level = static_cast<int>(request.trust_level()) - 1;
  const bool admin =
      IsPlatformAdmin(caller) || caller.HasRole(auth::kRoleTenantAdmin);
  v1::Member changed;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member, true);
        if (!member.ok()) return member.status();
        if (member->state == v1::Member::STATE_ERASED) {
          return absl::FailedPreconditionError("the member was erased");
        }
        if (level > member->trust_level && !admin) {
          return absl::PermissionDeniedError(
              "moderators may only lower a trust level");
        }
        if (level != member->trust_level) {
          absl::StatusOr<v1::TrustPolicy> policy = LoadPolicy(tx, name->tenant);
          if (!policy.ok()) return policy.status();
          const bool demotion = level < member->trust_level;
          const absl::Time hold_until =
              context.now() + absl::Seconds(policy->demotion_hold().seconds());
          tx.exec_params(
              "UPDATE members SET trust_level = $2, trust_hold_until ="
              " CASE WHEN $3 THEN to_timestamp($4::float8 / 1e6)"
              " ELSE trust_hold_until END WHERE id = $1::uuid",
              member->id, level, demotion, absl::ToUnixMicros(hold_until));
          TouchMember(tx, member->id);
          if (absl::Status s =
                  AnnounceTrustChange(context, tx, ActorOf(caller), *member,
                                      level, false, request.reason());
              !s.ok()) {
            return s;
          }
        }
        absl::StatusOr<MemberRecord> after =
            LoadMember(tx, name->tenant, member->id);
        if (!after.ok()) return after.status();
        changed = ToMemberProto(*after);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return changed;
}

absl::StatusOr<v1::TrustPolicy> GetTrustPolicy(
    IdentityContext& context, const auth::Principal& caller,
    const v1::GetTrustPolicyRequest& request) {
  absl::string_view name = request.name();
  if (!absl::ConsumeSuffix(&name, "/trustPolicy")) {
    return absl::InvalidArgumentError(
        "name: must be of the form tenants/{tenant}/trustPolicy");
  }
  absl::StatusOr<std::string> tenant = ParseTenantName("name", name);
  if (!tenant.ok()) return tenant.status();
  if (!IsPlatformAdmin(caller)) {
    if (absl::Status s = auth::RequireTenant(caller, *tenant); !s.ok()) {
      return s;
    }
  }
  v1::TrustPolicy policy;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<TenantRecord> exists = LoadTenant(tx, *tenant);
        if (!exists.ok()) return exists.status();
        absl::StatusOr<v1::TrustPolicy> loaded = LoadPolicy(tx, *tenant);
        if (!loaded.ok()) return loaded.status();
        policy = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return policy;
}

absl::StatusOr<v1::TrustPolicy> UpdateTrustPolicy(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateTrustPolicyRequest& request) {
  const v1::TrustPolicy& wanted = request.trust_policy();
  absl::string_view name = wanted.name();
  if (!absl::ConsumeSuffix(&name, "/trustPolicy")) {
    return absl::InvalidArgumentError(
        "trust_policy.name: must be of the form tenants/{tenant}/trustPolicy");
  }
  absl::StatusOr<std::string> tenant =
      ParseTenantName("trust_policy.name", name);
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s =
          RequireTenantRole(caller, *tenant, {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths = api::MaskPaths(
      request.update_mask(), kMutablePolicyFields, "trust_policy");
  if (!paths.ok()) return paths.status();
  if (paths->contains("thresholds")) {
    if (wanted.thresholds_size() != 4) {
      return absl::InvalidArgumentError(
          "trust_policy.thresholds: one entry for each of BASIC, MEMBER, "
          "REGULAR and LEADER, in that order");
    }
    for (int i = 0; i < 4; ++i) {
      const v1::TrustThreshold& t = wanted.thresholds(i);
      const std::string field =
          absl::StrCat("trust_policy.thresholds[", i, "]");
      if (t.level() != common::v1::TRUST_LEVEL_BASIC + i) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".level: levels BASIC to LEADER in order"));
      }
      if (t.min_reputation() < 0 || t.min_reputation() > 1000000 ||
          t.min_account_age().seconds() < 0 ||
          t.min_account_age().seconds() > int64_t{3650} * 86400 ||
          t.min_published_posts() < 0 || t.min_published_posts() > 100000 ||
          t.min_accepted_answers() < 0 || t.min_accepted_answers() > 100000 ||
          t.min_active_days() < 0 || t.min_active_days() > 3650 ||
          t.max_recent_removals() < 0 || t.max_recent_removals() > 1000) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": a figure is outside its range"));
      }
      if (i > 0) {
        const v1::TrustThreshold& p = wanted.thresholds(i - 1);
        if (t.min_reputation() < p.min_reputation() ||
            t.min_account_age().seconds() < p.min_account_age().seconds() ||
            t.min_published_posts() < p.min_published_posts() ||
            t.min_accepted_answers() < p.min_accepted_answers() ||
            t.min_active_days() < p.min_active_days()) {
          return absl::InvalidArgumentError(
              absl::StrCat(field,
                           ": requirements must not decrease from one level to "
                           "the next"));
        }
      }
    }
  }
  if (paths->contains("demotion_hold") &&
      (wanted.demotion_hold().seconds() < 0 ||
       wanted.demotion_hold().seconds() > int64_t{365} * 86400)) {
    return absl::InvalidArgumentError("trust_policy.demotion_hold: 0-365 days");
  }
  v1::TrustPolicy updated;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<TenantRecord> exists = LoadWritableTenant(tx, *tenant);
        if (!exists.ok()) return exists.status();
        int64_t version = 0;
        absl::StatusOr<v1::TrustPolicy> current =
            LoadPolicy(tx, *tenant, &version);
        if (!current.ok()) return current.status();
        if (!wanted.etag().empty() && wanted.etag() != current->etag()) {
          return api::EtagMismatch("trust_policy.etag", "the policy");
        }
        v1::TrustPolicy next = *current;
        if (paths->contains("thresholds")) {
          *next.mutable_thresholds() = wanted.thresholds();
        }
        if (paths->contains("demotion_hold")) {
          *next.mutable_demotion_hold() = wanted.demotion_hold();
        }
        next.clear_etag();
        SetTimestamp(next.mutable_update_time(), context.now());
        tx.exec_params(
            "INSERT INTO trust_policies (tenant, policy, version)"
            " VALUES ($1, $2, 1)"
            " ON CONFLICT (tenant) DO UPDATE SET policy = excluded.policy,"
            " version = trust_policies.version + 1, update_time = now()",
            *tenant, pqxx::binarystring(next.SerializeAsString()));
        next.set_etag(absl::StrCat("v", version + 1));
        updated = next;
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return updated;
}

absl::Status ApplyReputationChanged(IdentityContext& context,
                                    pqxx::transaction_base& tx,
                                    const events::v1::Event& event) {
  const events::v1::ReputationChanged& changed = event.reputation_changed();
  absl::StatusOr<MemberName> name =
      ParseMemberName("member", changed.member(), nullptr);
  if (!name.ok()) return absl::OkStatus();  // not ours to fix: skip
  absl::StatusOr<MemberRecord> member =
      LoadMember(tx, name->tenant, name->member, true);
  // Unknown, or erased: ranking may still announce figures it computed
  // before it handled member.erased, and erasure must not be undone.
  if (!member.ok() || member->state == v1::Member::STATE_ERASED) {
    return absl::OkStatus();
  }
  Figures figures{changed.points(), changed.published_posts(),
                  changed.accepted_answers(), changed.active_days()};
  tx.exec_params(
      "INSERT INTO member_activity (member, reputation, published_posts,"
      " accepted_answers, active_days) VALUES ($1::uuid, $2, $3, $4, $5)"
      " ON CONFLICT (member) DO UPDATE SET reputation = excluded.reputation,"
      " published_posts = excluded.published_posts,"
      " accepted_answers = excluded.accepted_answers,"
      " active_days = excluded.active_days, update_time = now()",
      member->id, figures.reputation, figures.published_posts,
      figures.accepted_answers, figures.active_days);
  if (member->state != v1::Member::STATE_ACTIVE) return absl::OkStatus();
  const absl::Time now = context.now();
  if (member->trust_hold_until.has_value() && *member->trust_hold_until > now) {
    return absl::OkStatus();  // a moderator's demotion holds
  }
  absl::StatusOr<v1::TrustPolicy> policy = LoadPolicy(tx, name->tenant);
  if (!policy.ok()) return policy.status();
  const int eligible =
      EligibleLevel(*policy, figures, now - member->create_time);
  if (eligible <= member->trust_level) return absl::OkStatus();  // never demote
  tx.exec_params("UPDATE members SET trust_level = $2 WHERE id = $1::uuid",
                 member->id, eligible);
  TouchMember(tx, member->id);
  return AnnounceTrustChange(context, tx, SystemActor(), *member, eligible,
                             true, "reputation and activity");
}

absl::Status ApplyTitleAwarded(IdentityContext& context,
                               pqxx::transaction_base& tx,
                               const events::v1::Event& event) {
  const events::v1::TitleAwarded& awarded = event.title_awarded();
  absl::StatusOr<MemberName> name =
      ParseMemberName("member", awarded.member(), nullptr);
  if (!name.ok() || awarded.title().title().empty()) return absl::OkStatus();
  absl::StatusOr<MemberRecord> member =
      LoadMember(tx, name->tenant, name->member);
  if (!member.ok() || member->state == v1::Member::STATE_ERASED) {
    return absl::OkStatus();
  }
  // Profiles show the stored award as it is: it carries its time even when
  // the event left it out.
  common::v1::AwardedTitle award = awarded.title();
  if (!award.has_award_time()) {
    SetTimestamp(award.mutable_award_time(), context.now());
  }
  tx.exec_params(
      "INSERT INTO member_titles (member, title, award, award_time)"
      " VALUES ($1::uuid, $2, $3, to_timestamp($4::float8 / 1e6))"
      " ON CONFLICT (member, title) DO NOTHING",
      member->id, award.title(), pqxx::binarystring(award.SerializeAsString()),
      absl::ToUnixMicros(FromTimestamp(award.award_time())));
  return absl::OkStatus();
}

}  // namespace agora::identity
