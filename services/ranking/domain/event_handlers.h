// What the ranking service learns from other services' events, applied in
// the consumer's transaction: tenants' time zones and members (identity),
// posts and their publication state (content), shares and clicks (share),
// and erasure. Redis follows through pending repairs: each handler records
// the posts whose tally or board entries changed, and the repairer (woken
// by `wake`) recomputes them once the transaction has committed.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_EVENT_HANDLERS_H_
#define AGORA_SERVICES_RANKING_DOMAIN_EVENT_HANDLERS_H_

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

absl::Status ApplyIdentityEvent(RankingContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event);
absl::Status ApplyContentEvent(RankingContext& context,
                               pqxx::transaction_base& tx,
                               const events::v1::Event& event);
absl::Status ApplyShareEvent(RankingContext& context,
                             pqxx::transaction_base& tx,
                             const events::v1::Event& event);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_EVENT_HANDLERS_H_
