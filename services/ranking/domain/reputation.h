// The reputation engine: points per tenant rules for what happens to a
// member's posts (votes received, accepted answers, delivered ideas,
// contest prizes, share milestones, removals), a daily cap in the tenant's
// calendar, a floor of 1 point, titles with thresholds, and the figures
// identity promotes trust levels from, announced as ReputationChanged and
// TitleAwarded. Every change is a ledger row (ReputationEvent) recording
// the points it actually applied, so that undoing a vote takes back
// exactly what it gave, whatever the cap or the policy said meanwhile.
//
// Wiring: ApplyReputationEvent runs in a consumer's transaction for the
// events of ranking's own stream (votes) and of content's and share's.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_REPUTATION_H_
#define AGORA_SERVICES_RANKING_DOMAIN_REPUTATION_H_

#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agora/events/v1/events.pb.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// Applies the reputation effects of one event inside `tx`, once per event
// id (a redelivered event changes nothing), and announces what changed
// through the outbox. Handles vote_cast, vote_changed, vote_retracted and
// votes_reversed (ranking), post_published, post_removed, post_deleted,
// answer_accepted, idea_status_changed and contest_winners_selected
// (content), share_milestone_reached (share) and member_erased (identity);
// every other event is ignored, ranking's own reputation_changed and
// title_awarded included. INVALID_ARGUMENT for an event without a valid id
// or tenant.
absl::Status ApplyReputationEvent(RankingContext& context,
                                  pqxx::transaction_base& tx,
                                  const events::v1::Event& event);

// The policy a tenant has before it changes anything (the defaults of the
// ReputationPolicy field comments), without name or etag.
v1::ReputationPolicy DefaultReputationPolicy();

// INVALID_ARGUMENT naming the first field of `policy` (under
// "reputation_policy.") that breaks the contract, among the `paths` given.
absl::Status ValidateReputationPolicy(const v1::ReputationPolicy& policy,
                                      const std::set<std::string>& paths);

// Anonymous callers pass nullptr.
absl::StatusOr<v1::Reputation> GetReputation(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetReputationRequest& request);
absl::StatusOr<v1::ListReputationEventsResponse> ListReputationEvents(
    RankingContext& context, const auth::Principal& caller,
    const v1::ListReputationEventsRequest& request);
absl::StatusOr<v1::ReputationPolicy> GetReputationPolicy(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetReputationPolicyRequest& request);
absl::StatusOr<v1::ReputationPolicy> UpdateReputationPolicy(
    RankingContext& context, const auth::Principal& caller,
    const v1::UpdateReputationPolicyRequest& request);

// A member's reputation as GetReputation returns it, read in `tx` (the
// GDPR export reads it with the rest). NOT_FOUND for a member the service
// does not know or who was erased.
absl::StatusOr<v1::Reputation> LoadMemberReputation(RankingContext& context,
                                                    pqxx::transaction_base& tx,
                                                    const std::string& tenant,
                                                    const std::string& member);

// Every ledger row of a member, newest first, as ReputationEvents.
std::vector<v1::ReputationEvent> LoadAllReputationEvents(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_REPUTATION_H_
