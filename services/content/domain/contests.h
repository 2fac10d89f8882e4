// Contests: rounds of entries with public voting, finalists frozen from
// ranking's BEST board of the round when voting ends, a jury choosing the
// winners, and a grand final among the earlier rounds' winners.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_CONTESTS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_CONTESTS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// The phase of `round` at `now` from its times and winners.
v1::Round::Phase PhaseOf(const v1::Round& round, absl::Time now);

absl::StatusOr<v1::Contest> CreateContest(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateContestRequest& request);
absl::StatusOr<v1::Contest> GetContest(ContentContext& context,
                                       const auth::Principal* caller,
                                       const v1::GetContestRequest& request);
absl::StatusOr<v1::ListContestsResponse> ListContests(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListContestsRequest& request);
absl::StatusOr<v1::Contest> UpdateContest(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateContestRequest& request);
absl::StatusOr<v1::Contest> SelectContestWinners(
    ContentContext& context, const auth::Principal& caller,
    const v1::SelectContestWinnersRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_CONTESTS_H_
