// member_erased (from identity): what moderation holds about the member is
// anonymised in the event's transaction. Flags and appeals stay (the
// decisions they led to must remain explainable) but lose the member's name,
// comments and statements; queue items lose the author; author history in
// Redis is dropped. The audit log keeps its records: they hold resource
// names, never personal data, and rewriting them would break the chain.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_MEMBER_ERASURE_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_MEMBER_ERASURE_H_

#include <pqxx/transaction_base>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

inline constexpr char kErasedMember[] = "erased-member";

absl::Status ApplyMemberErased(ModerationContext& context,
                               pqxx::transaction_base& tx,
                               const agora::events::v1::Event& event);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_MEMBER_ERASURE_H_
