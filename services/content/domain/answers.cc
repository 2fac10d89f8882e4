#include "services/content/domain/answers.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/caller.h"
#include "libs/api/resource_names.h"
#include "libs/api/update_mask.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/content/domain/access.h"
#include "services/content/domain/post_view.h"
#include "services/content/domain/publication.h"

namespace agora::content {
namespace {
namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;
}  // namespace

absl::StatusOr<v1::Post> AcceptAnswer(ContentContext& context,
                                      const auth::Principal& caller,
                                      const v1::AcceptAnswerRequest& request) {
  absl::StatusOr<api::PostName> question =
      api::ParsePostName("name", request.name());
  if (!question.ok()) return question.status();
  absl::StatusOr<api::PostName> answer =
      api::ParsePostName("answer", request.answer());
  if (!answer.ok()) return answer.status();
  if (answer->tenant != question->tenant) {
    return absl::InvalidArgumentError(
        "answer: must be an answer to this question");
  }
  if (absl::Status s = auth::RequireTenant(caller, question->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{question->tenant, "AcceptAnswer",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  const absl::Time now = context.now();
  v1::Post accepted;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, accepted)) {
          return absl::OkStatus();
        }
        std::optional<StoredPost> q =
            FindPost(tx, question->tenant, question->post, /*lock=*/true);
        if (!q.has_value() || !CanSee(*q, &caller) ||
            q->post.kind() != common::CONTENT_KIND_QUESTION) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!IsAuthor(*q, &caller) && !IsStaff(&caller, question->tenant)) {
          return absl::PermissionDeniedError(
              "only the asker or staff accept an answer");
        }
        if (!request.etag().empty() && request.etag() != q->post.etag()) {
          return api::EtagMismatch("etag", "the question");
        }
        if (q->post.state() != common::POST_STATE_PUBLISHED) {
          return status::WithReason(absl::FailedPreconditionError(
                                        "name: the question is not published"),
                                    "TARGET_NOT_PUBLISHED");
        }
        std::optional<StoredPost> a =
            FindPost(tx, answer->tenant, answer->post, /*lock=*/true);
        if (!a.has_value() || a->post.kind() != common::CONTENT_KIND_ANSWER ||
            a->in_reply_to != q->id) {
          return absl::InvalidArgumentError(
              "answer: must be an answer to this question");
        }
        if (a->post.state() != common::POST_STATE_PUBLISHED) {
          return status::WithReason(
              absl::FailedPreconditionError("answer: not published"),
              "TARGET_NOT_PUBLISHED");
        }
        if (a->post.answer().automated()) {
          return status::WithReason(
              absl::FailedPreconditionError(
                  "answer: an automatic reply cannot be accepted"),
              "AUTOMATED_ANSWER");
        }
        const std::string previous_id =
            q->post.question().accepted_answer().empty()
                ? ""
                : q->post.question().accepted_answer().substr(
                      q->post.question().accepted_answer().rfind('/') + 1);
        if (previous_id == a->id) {
          accepted = ViewOf(*q, &caller);
          return absl::OkStatus();
        }
        std::optional<StoredPost> previous;
        if (!previous_id.empty()) {
          previous = FindPost(tx, question->tenant, previous_id);
          tx.exec_params(
              "UPDATE posts SET accepted = false WHERE tenant = $1 AND id = $2",
              question->tenant, previous_id);
        }
        tx.exec_params(
            "UPDATE posts SET accepted = true WHERE tenant = $1 AND id = $2",
            question->tenant, a->id);
        tx.exec_params(
            "UPDATE posts SET accepted_answer = $3, accept_time ="
            " timestamptz 'epoch' + $4::bigint * interval '1 microsecond',"
            " version = version + 1 WHERE tenant = $1 AND id = $2",
            question->tenant, q->id, a->id,
            std::to_string(absl::ToUnixMicros(now)));
        events::v1::Event event = NewContentEvent(
            context, question->tenant, api::ActorFor(caller), q->post.name());
        events::v1::AnswerAccepted& payload = *event.mutable_answer_accepted();
        payload.set_question(q->post.name());
        payload.set_answer(a->post.name());
        payload.set_answer_author(a->post.author().name());
        payload.set_question_author(q->post.author().name());
        payload.set_accepted_by(api::PrincipalName(caller));
        if (previous.has_value()) {
          payload.set_previous_answer(previous->post.name());
          payload.set_previous_answer_author(previous->post.author().name());
        }
        *payload.mutable_accept_time() =
            TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        if (absl::Status s = AppendContentEvent(context, tx, event); !s.ok()) {
          return s;
        }
        accepted = ViewOf(*FindPost(tx, question->tenant, q->id), &caller);
        idempotency::SaveResponse(tx, key, accepted);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return accepted;
}

}  // namespace agora::content
