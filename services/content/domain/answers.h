// Accepting an answer: the asker or staff picks one published answer by a
// member or staff (never an automatic reply); it replaces any earlier
// choice and closes the question's unanswered clock.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_ANSWERS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_ANSWERS_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

absl::StatusOr<v1::Post> AcceptAnswer(ContentContext& context,
                                      const auth::Principal& caller,
                                      const v1::AcceptAnswerRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_ANSWERS_H_
