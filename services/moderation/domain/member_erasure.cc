#include "services/moderation/domain/member_erasure.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/moderation/domain/tenant_access.h"

namespace agora::moderation {

absl::Status ApplyMemberErased(ModerationContext& context,
                               pqxx::transaction_base& tx,
                               const agora::events::v1::Event& event) {
  const std::string& member = event.member_erased().member();
  absl::StatusOr<ResourceName> name =
      ParseResourceName("member", member, "members", true);
  if (!name.ok()) return name.status();
  const std::string& tenant = name->tenant;
  // Reporter names carry no other meaning: a unique placeholder per flag
  // keeps "one flag per member per post" intact.
  tx.exec_params(
      "UPDATE flags SET reporter = $3 || '/' || id::text, comment = ''"
      " WHERE tenant = $1 AND reporter = $2",
      tenant, member, kErasedMember);
  tx.exec_params(
      "DELETE FROM reporter_weights WHERE tenant = $1 AND reporter = $2",
      tenant, member);
  tx.exec_params(
      "UPDATE appeals SET appellant = $3, statement = '' WHERE tenant = $1 AND "
      "appellant = $2",
      tenant, member, kErasedMember);
  tx.exec_params(
      "UPDATE queue_items SET author = $3 WHERE tenant = $1 AND author = $2",
      tenant, member, kErasedMember);
  tx.exec_params(
      "UPDATE screenings SET author = $3 WHERE tenant = $1 AND author = $2",
      tenant, member, kErasedMember);
  tx.exec_params(
      "DELETE FROM idempotent_responses WHERE tenant = $1 AND caller = $2",
      tenant, member);
  for (const char* kind : {"recent", "posting"}) {
    absl::StatusOr<std::string> key =
        context.keys.TenantKey(tenant, {"moderation", kind, member});
    if (key.ok()) (void)context.redis.Run({"DEL", *key});
  }
  return absl::OkStatus();
}

}  // namespace agora::moderation
