// Follows of posts, categories and members: explicit ones (CreateFollow,
// ListFollows, DeleteFollow, the member themselves only) and the automatic
// ones made while applying events (authors, repliers, voters). One follow
// per member and target; at most kMaxFollowsPerMember per member.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_FOLLOWS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_FOLLOWS_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "google/protobuf/empty.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"
#include "services/content/repository/follow_store.h"

namespace agora::content {

inline constexpr int kMaxFollowsPerMember = 5000;

// Following something already followed returns the existing follow.
// INVALID_ARGUMENT naming follow.target (none set) or the target's field;
// NOT_FOUND for a target the caller cannot see; RESOURCE_EXHAUSTED beyond
// kMaxFollowsPerMember.
absl::StatusOr<v1::Follow> CreateFollow(ContentContext& context,
                                        const auth::Principal& caller,
                                        const v1::CreateFollowRequest& request);

absl::StatusOr<v1::ListFollowsResponse> ListFollows(
    ContentContext& context, const auth::Principal& caller,
    const v1::ListFollowsRequest& request);

absl::StatusOr<google::protobuf::Empty> DeleteFollow(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteFollowRequest& request);

// An automatic follow, in the transaction applying an event: nothing when
// the member already follows the target (an unfollowed target is followed
// again only by a new act), has reached the limit or was erased.
void FollowAutomatically(pqxx::transaction_base& tx, const std::string& tenant,
                         const std::string& member, const FollowTarget& target,
                         v1::FollowReason reason, absl::Time now);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_FOLLOWS_H_
