// What the share service learns from other services' events, applied in
// the consumer's transaction (libs/events applies each event once):
// tenants and their time zones, member erasure (identity); posts, their
// masked title and excerpt and their publication state (content). A post's
// change also rewrites its cached copy in Redis (version-checked, so a
// stale write never wins); a failed cache write is logged and heals when
// the cached copy expires.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_EVENT_HANDLERS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_EVENT_HANDLERS_H_

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/share/domain/share_context.h"

namespace agora::share {

absl::Status ApplyIdentityEvent(ShareContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event);
absl::Status ApplyContentEvent(ShareContext& context,
                               pqxx::transaction_base& tx,
                               const events::v1::Event& event);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_EVENT_HANDLERS_H_
