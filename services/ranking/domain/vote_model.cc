#include "services/ranking/domain/vote_model.h"

#include "absl/strings/str_cat.h"
#include "libs/status/error_details.h"

namespace agora::ranking {
namespace {

using common::v1::EVALUATION_MODE_LIKE;
using common::v1::EVALUATION_MODE_NONE;
using common::v1::EVALUATION_MODE_STARS;
using common::v1::EVALUATION_MODE_UNSPECIFIED;
using common::v1::EVALUATION_MODE_UP_DOWN;

// Built-in defaults per kind (VoteSettings.kinds field comment).
EvaluationMode DefaultMode(ContentKind kind) {
  switch (kind) {
    case common::v1::CONTENT_KIND_QUESTION:
    case common::v1::CONTENT_KIND_ANSWER:
    case common::v1::CONTENT_KIND_IDEA:
      return EVALUATION_MODE_UP_DOWN;
    case common::v1::CONTENT_KIND_REVIEW:
      return EVALUATION_MODE_NONE;
    default:
      return EVALUATION_MODE_LIKE;
  }
}

const v1::KindVoteSettings* KindSettings(const PostInfo& post,
                                         const v1::VoteSettings& settings) {
  for (const v1::KindVoteSettings& kind : settings.kinds()) {
    if (kind.kind() == post.kind) return &kind;
  }
  return nullptr;
}

absl::Status ModeMismatch(absl::string_view message) {
  return status::WithReason(
      absl::InvalidArgumentError(absl::StrCat("choice: ", message)),
      "VOTE_MODE_MISMATCH");
}

void AddCounts(const std::string& prefix, const StoredVote& vote,
               EvaluationMode mode, int sign, TallyFields& fields) {
  switch (vote.choice) {
    case common::v1::VOTE_CHOICE_UP:
    case common::v1::VOTE_CHOICE_LIKE:
      if (mode == EVALUATION_MODE_UP_DOWN || mode == EVALUATION_MODE_LIKE) {
        fields[prefix + "u"] += sign;
      }
      return;
    case common::v1::VOTE_CHOICE_DOWN:
      if (mode == EVALUATION_MODE_UP_DOWN) fields[prefix + "d"] += sign;
      return;
    case common::v1::VOTE_CHOICE_STARS:
      if (mode == EVALUATION_MODE_STARS && vote.stars >= 1 && vote.stars <= 5) {
        fields[prefix + "rc"] += sign;
        fields[prefix + "rs"] += sign * vote.stars;
        fields[absl::StrCat(prefix, "s", vote.stars)] += sign;
      }
      return;
    case common::v1::VOTE_CHOICE_HELPFUL:
      fields[prefix + "hp"] += sign;
      return;
    case common::v1::VOTE_CHOICE_NOT_HELPFUL:
      fields[prefix + "nh"] += sign;
      return;
    default:
      return;
  }
}

int64_t Field(const TallyFields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? 0 : it->second;
}

Counts ReadCounts(const TallyFields& fields, const std::string& prefix) {
  Counts counts;
  counts.ups = Field(fields, prefix + "u");
  counts.downs = Field(fields, prefix + "d");
  counts.rating_count = Field(fields, prefix + "rc");
  counts.rating_sum = Field(fields, prefix + "rs");
  for (int star = 1; star <= 5; ++star) {
    counts.histogram[star - 1] = Field(fields, absl::StrCat(prefix, "s", star));
  }
  counts.helpful = Field(fields, prefix + "hp");
  counts.not_helpful = Field(fields, prefix + "nh");
  return counts;
}

void WriteCounts(const Counts& counts, const std::string& prefix,
                 TallyFields& fields) {
  fields[prefix + "u"] = counts.ups;
  fields[prefix + "d"] = counts.downs;
  fields[prefix + "rc"] = counts.rating_count;
  fields[prefix + "rs"] = counts.rating_sum;
  for (int star = 1; star <= 5; ++star) {
    fields[absl::StrCat(prefix, "s", star)] = counts.histogram[star - 1];
  }
  fields[prefix + "hp"] = counts.helpful;
  fields[prefix + "nh"] = counts.not_helpful;
}

void ToCountsProto(const Counts& counts, EvaluationMode mode,
                   v1::VoteCounts* out) {
  out->set_ups(counts.ups);
  out->set_downs(counts.downs);
  out->set_rating_count(counts.rating_count);
  out->set_rating_sum(counts.rating_sum);
  if (mode == EVALUATION_MODE_STARS) {
    for (int64_t n : counts.histogram) out->add_rating_histogram(n);
  }
  out->set_helpful(counts.helpful);
  out->set_not_helpful(counts.not_helpful);
}

}  // namespace

EvaluationMode EffectiveMode(const PostInfo& post,
                             const v1::VoteSettings& settings) {
  if (post.announced_mode != EVALUATION_MODE_UNSPECIFIED) {
    return post.announced_mode;
  }
  const v1::KindVoteSettings* kind = KindSettings(post, settings);
  if (kind != nullptr && kind->mode() != EVALUATION_MODE_UNSPECIFIED) {
    return kind->mode();
  }
  return DefaultMode(post.kind);
}

bool HelpfulnessEnabled(const PostInfo& post,
                        const v1::VoteSettings& settings) {
  if (post.kind != common::v1::CONTENT_KIND_REVIEW) return false;
  const v1::KindVoteSettings* kind = KindSettings(post, settings);
  return kind == nullptr || kind->helpfulness_enabled();
}

VoteAxis AxisOf(VoteChoice choice) {
  return choice == common::v1::VOTE_CHOICE_HELPFUL ||
                 choice == common::v1::VOTE_CHOICE_NOT_HELPFUL
             ? common::v1::VOTE_AXIS_HELPFULNESS
             : common::v1::VOTE_AXIS_PRIMARY;
}

absl::Status CheckChoice(EvaluationMode mode, bool helpfulness,
                         VoteChoice choice, int stars) {
  if (choice == common::v1::VOTE_CHOICE_UNSPECIFIED ||
      !common::v1::VoteChoice_IsValid(choice)) {
    return absl::InvalidArgumentError(
        "choice: required, one of UP, DOWN, "
        "LIKE, STARS, HELPFUL, NOT_HELPFUL");
  }
  if (choice == common::v1::VOTE_CHOICE_STARS) {
    if (stars < 1 || stars > 5) {
      return absl::InvalidArgumentError(
          "stars: must be between 1 and 5 with STARS");
    }
  } else if (stars != 0) {
    return absl::InvalidArgumentError(
        "stars: must be 0 unless choice is STARS");
  }
  if (AxisOf(choice) == common::v1::VOTE_AXIS_HELPFULNESS) {
    return helpfulness ? absl::OkStatus()
                       : ModeMismatch("this post takes no helpfulness votes");
  }
  switch (mode) {
    case EVALUATION_MODE_UP_DOWN:
      if (choice == common::v1::VOTE_CHOICE_UP ||
          choice == common::v1::VOTE_CHOICE_DOWN) {
        return absl::OkStatus();
      }
      return ModeMismatch("this post takes UP or DOWN votes");
    case EVALUATION_MODE_LIKE:
      if (choice == common::v1::VOTE_CHOICE_LIKE) return absl::OkStatus();
      return ModeMismatch("this post takes LIKE votes");
    case EVALUATION_MODE_STARS:
      if (choice == common::v1::VOTE_CHOICE_STARS) return absl::OkStatus();
      return ModeMismatch("this post takes STARS ratings");
    default:
      return ModeMismatch("this post takes no votes");
  }
}

void AddVote(const StoredVote& vote, EvaluationMode mode, int sign,
             TallyFields& fields) {
  switch (vote.status) {
    case v1::Vote::STATUS_COUNTED:
      AddCounts("", vote, mode, sign, fields);
      if (vote.verified_customer) AddCounts("v", vote, mode, sign, fields);
      return;
    case v1::Vote::STATUS_HELD:
      fields["held"] += sign;
      return;
    default:
      return;
  }
}

TallyCounts CountsFromFields(const TallyFields& fields) {
  TallyCounts counts;
  counts.all = ReadCounts(fields, "");
  counts.verified = ReadCounts(fields, "v");
  counts.held = Field(fields, "held");
  counts.comments = Field(fields, "cc");
  counts.shares = Field(fields, "sc");
  return counts;
}

TallyFields FieldsFromCounts(const TallyCounts& counts) {
  TallyFields fields;
  WriteCounts(counts.all, "", fields);
  WriteCounts(counts.verified, "v", fields);
  fields["held"] = counts.held;
  fields["cc"] = counts.comments;
  fields["sc"] = counts.shares;
  return fields;
}

TallyView ViewFromFields(const TallyFields& fields) {
  TallyView view;
  view.kind = static_cast<ContentKind>(Field(fields, "kind"));
  view.mode = static_cast<EvaluationMode>(Field(fields, "mode"));
  view.helpfulness = Field(fields, "hf") != 0;
  view.counts = CountsFromFields(fields);
  return view;
}

TallyFields FieldsFromView(const TallyView& view) {
  TallyFields fields = FieldsFromCounts(view.counts);
  fields["kind"] = view.kind;
  fields["mode"] = view.mode;
  fields["hf"] = view.helpfulness ? 1 : 0;
  return fields;
}

int64_t NetScore(const Counts& counts, EvaluationMode mode) {
  switch (mode) {
    case EVALUATION_MODE_STARS:
      return counts.rating_sum - 3 * counts.rating_count;
    case EVALUATION_MODE_NONE:
      return counts.helpful - counts.not_helpful;
    default:
      return counts.ups - counts.downs;
  }
}

v1::Tally ToTallyProto(const std::string& tenant, const std::string& post,
                       const TallyView& view) {
  v1::Tally tally;
  const std::string name = absl::StrCat("tenants/", tenant, "/posts/", post);
  tally.set_name(name + "/tally");
  tally.mutable_target()->set_kind(view.kind);
  tally.mutable_target()->set_name(name);
  const EvaluationMode mode = view.mode;
  const TallyCounts& counts = view.counts;
  tally.set_mode(mode);
  tally.set_helpfulness_enabled(view.helpfulness);
  ToCountsProto(counts.all, mode, tally.mutable_counts());
  ToCountsProto(counts.verified, mode,
                tally.mutable_verified_customer_counts());
  tally.set_score(counts.all.ups - counts.all.downs);
  if (counts.all.rating_count > 0) {
    tally.set_rating_average(static_cast<double>(counts.all.rating_sum) /
                             static_cast<double>(counts.all.rating_count));
  }
  tally.set_held_count(counts.held);
  tally.set_comment_count(counts.comments);
  tally.set_share_count(counts.shares);
  return tally;
}

}  // namespace agora::ranking
