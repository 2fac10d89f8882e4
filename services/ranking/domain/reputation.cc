#include "services/ranking/domain/reputation.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/events/typed_event.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/repository/post_store.h"
#include "services/ranking/repository/reputation_store.h"

namespace agora::ranking {
namespace {

using common::v1::ContentKind;
using google::protobuf::util::TimeUtil;
using v1::ReputationReason;

constexpr std::array<absl::string_view, 4> kMutablePolicyFields = {
    "rules", "daily_cap", "cap_exempt_reasons", "titles"};

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

absl::TimeZone ZoneOf(pqxx::transaction_base& tx, const std::string& tenant) {
  absl::TimeZone zone = absl::UTCTimeZone();
  absl::LoadTimeZone(LoadTimeZone(tx, tenant), &zone);
  return zone;
}

// --- Policy ---

void AddRule(v1::ReputationPolicy& policy, ReputationReason reason,
             int64_t points,
             ContentKind kind = common::v1::CONTENT_KIND_UNSPECIFIED) {
  v1::ReputationRule* rule = policy.add_rules();
  rule->set_reason(reason);
  rule->set_points(points);
  rule->set_kind(kind);
}

// Reasons whose points come from the rows they reverse or carry, never
// from a rule.
bool IsComputedReason(int reason) {
  return reason == v1::REPUTATION_REASON_VOTE_UNDONE ||
         reason == v1::REPUTATION_REASON_SERIAL_VOTES_REVERSED ||
         reason == v1::REPUTATION_REASON_IDEAS_MERGED;
}

bool IsVoteReason(int reason) {
  return reason == v1::REPUTATION_REASON_POST_UPVOTED ||
         reason == v1::REPUTATION_REASON_POST_DOWNVOTED;
}

// The points of `reason` on a post of `kind`: a rule of that kind wins over
// a rule without kind; no rule gives 0.
int64_t RulePoints(const v1::ReputationPolicy& policy, ReputationReason reason,
                   ContentKind kind) {
  std::optional<int64_t> general;
  for (const v1::ReputationRule& rule : policy.rules()) {
    if (rule.reason() != reason) continue;
    if (rule.kind() == common::v1::CONTENT_KIND_UNSPECIFIED) {
      general = rule.points();
    } else if (rule.kind() == kind) {
      return rule.points();
    }
  }
  return general.value_or(0);
}

bool CapExempt(const v1::ReputationPolicy& policy, ReputationReason reason) {
  for (int exempt : policy.cap_exempt_reasons()) {
    if (exempt == reason) return true;
  }
  return false;
}

std::string PolicyName(const std::string& tenant) {
  return absl::StrCat("tenants/", tenant, "/reputationPolicy");
}

// The tenant's policy as the API shows it: the stored document, or the
// defaults, with name, etag ("v" + version) and update time.
v1::ReputationPolicy PolicyOf(const std::string& tenant,
                              const StoredReputationPolicy& stored) {
  v1::ReputationPolicy policy =
      stored.policy.value_or(DefaultReputationPolicy());
  policy.set_name(PolicyName(tenant));
  policy.set_etag(absl::StrCat("v", stored.version));
  if (stored.policy.has_value()) {
    *policy.mutable_update_time() = ToTimestamp(stored.update_time);
  }
  return policy;
}

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("reputation_policy.", field, ": ", message));
}

bool IsTitleId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 63) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool IsLanguageTag(absl::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-';
  });
}

// Characters (code points) of UTF-8 text.
size_t Utf8Length(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

absl::Status ValidateRules(const v1::ReputationPolicy& policy) {
  std::set<std::pair<int, int>> seen;
  for (int i = 0; i < policy.rules_size(); ++i) {
    const v1::ReputationRule& rule = policy.rules(i);
    const std::string field = absl::StrCat("rules[", i, "]");
    if (rule.reason() == v1::REPUTATION_REASON_UNSPECIFIED ||
        !v1::ReputationReason_IsValid(rule.reason())) {
      return Invalid(field + ".reason", "a known reason is required");
    }
    if (IsComputedReason(rule.reason())) {
      return Invalid(field + ".reason",
                     "VOTE_UNDONE, SERIAL_VOTES_REVERSED and IDEAS_MERGED "
                     "take back or carry the points of the votes concerned "
                     "and take no rule");
    }
    if (rule.points() < -1000 || rule.points() > 1000) {
      return Invalid(field + ".points", "must be -1,000..1,000");
    }
    if (!common::v1::ContentKind_IsValid(rule.kind())) {
      return Invalid(field + ".kind", "unknown kind");
    }
    if (rule.kind() != common::v1::CONTENT_KIND_UNSPECIFIED &&
        !IsVoteReason(rule.reason())) {
      return Invalid(field + ".kind",
                     "only POST_UPVOTED and POST_DOWNVOTED rules take a kind");
    }
    if (!seen.insert({rule.reason(), rule.kind()}).second) {
      return Invalid(field + ".reason",
                     "an earlier rule has the same reason and kind");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCapExempt(const v1::ReputationPolicy& policy) {
  if (policy.cap_exempt_reasons_size() > 12) {
    return Invalid("cap_exempt_reasons", "at most 12 reasons");
  }
  std::set<int> seen;
  for (int i = 0; i < policy.cap_exempt_reasons_size(); ++i) {
    const int reason = policy.cap_exempt_reasons(i);
    const std::string field = absl::StrCat("cap_exempt_reasons[", i, "]");
    if (reason == v1::REPUTATION_REASON_UNSPECIFIED ||
        !v1::ReputationReason_IsValid(reason)) {
      return Invalid(field, "a known reason is required");
    }
    if (!seen.insert(reason).second) {
      return Invalid(field, "listed twice");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTitles(const v1::ReputationPolicy& policy) {
  if (policy.titles_size() > 30) return Invalid("titles", "at most 30 titles");
  std::map<std::string, int> seen;
  for (int i = 0; i < policy.titles_size(); ++i) {
    const v1::TitleDefinition& title = policy.titles(i);
    const std::string field = absl::StrCat("titles[", i, "]");
    if (!IsTitleId(title.title_id())) {
      return Invalid(field + ".title_id",
                     "2-63 characters of [A-Za-z0-9_-] required");
    }
    if (auto [it, fresh] = seen.emplace(title.title_id(), i); !fresh) {
      return Invalid(
          field + ".title_id",
          absl::StrCat("already defined by titles[", it->second, "]"));
    }
    const auto& translations = title.display_name().translations();
    if (translations.empty() || translations.size() > 16) {
      return Invalid(field + ".display_name",
                     "1-16 translations (language tag to label) required");
    }
    for (const auto& [language, label] : translations) {
      if (!IsLanguageTag(language)) {
        return Invalid(field + ".display_name",
                       "each key must be a BCP-47 language tag");
      }
      const size_t length = Utf8Length(label);
      if (length < 1 || length > 60) {
        return Invalid(
            absl::StrCat(field, ".display_name.translations[", language, "]"),
            "1-60 characters");
      }
    }
    if (title.min_points() < 0 || title.min_points() > 10000000) {
      return Invalid(field + ".min_points", "must be 0..10,000,000");
    }
    if (title.min_accepted_answers() < 0 ||
        title.min_accepted_answers() > 100000) {
      return Invalid(field + ".min_accepted_answers", "must be 0..100,000");
    }
    if (i > 0) {
      const v1::TitleDefinition& before = policy.titles(i - 1);
      if (title.min_points() < before.min_points() ||
          title.min_accepted_answers() < before.min_accepted_answers()) {
        return Invalid(field,
                       "titles are listed in ascending order of "
                       "requirements: none below the previous title's");
      }
    }
  }
  return absl::OkStatus();
}

// --- Applying events ---

// What an event asks of one member's reputation, in order.
struct Step {
  enum class Type {
    kGrant,        // give `reason`'s points for `key`, once
    kUndo,         // reverse the standing award of `key` (as `reason`)
    kActive,       // the member was active on the event's day
    kCountPost,    // the member's post is published (counts in posts)
    kUncountPost,  // the member's post was taken down
  };
  Type type = Type::kGrant;
  std::string member;  // member id
  ReputationReason reason = v1::REPUTATION_REASON_UNSPECIFIED;
  std::string key;
  ContentKind subject_kind = common::v1::CONTENT_KIND_UNSPECIFIED;
  std::string subject;                           // post id
  std::optional<v1::Contribution> contribution;  // kActive
  bool first_publication = false;                // kCountPost
};

Step Grant(std::string member, ReputationReason reason, std::string key,
           ContentKind kind, std::string post) {
  Step step;
  step.type = Step::Type::kGrant;
  step.member = std::move(member);
  step.reason = reason;
  step.key = std::move(key);
  step.subject_kind = kind;
  step.subject = std::move(post);
  return step;
}

Step Undo(std::string member, std::string key, ReputationReason reason) {
  Step step;
  step.type = Step::Type::kUndo;
  step.member = std::move(member);
  step.reason = reason;
  step.key = std::move(key);
  return step;
}

Step Active(std::string member,
            std::optional<v1::Contribution> contribution = std::nullopt) {
  Step step;
  step.type = Step::Type::kActive;
  step.member = std::move(member);
  step.contribution = contribution;
  return step;
}

// A post of the member is (again) published, or taken down.
Step CountPost(std::string member, ContentKind kind, std::string post,
               bool first_publication) {
  Step step;
  step.type = Step::Type::kCountPost;
  step.member = std::move(member);
  step.subject_kind = kind;
  step.subject = std::move(post);
  step.first_publication = first_publication;
  return step;
}

Step UncountPost(std::string member, std::string post) {
  Step step;
  step.type = Step::Type::kUncountPost;
  step.member = std::move(member);
  step.subject = std::move(post);
  return step;
}

// The id of a member or post name of `tenant`; "" for an empty name, a
// service account, or another tenant's resource.
std::string IdIn(const std::string& tenant, const std::string& name,
                 absl::string_view collection) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName("name", name, {"tenants", collection});
  if (!parts.ok() || (*parts)[0] != tenant) return "";
  return (*parts)[1];
}

std::string MemberIn(const std::string& tenant, const std::string& name) {
  return IdIn(tenant, name, "members");
}

std::string PostIn(const std::string& tenant, const std::string& name) {
  return IdIn(tenant, name, "posts");
}

std::string VoteKey(const std::string& post, const std::string& voter,
                    common::v1::VoteAxis axis) {
  const int a = axis == common::v1::VOTE_AXIS_UNSPECIFIED
                    ? common::v1::VOTE_AXIS_PRIMARY
                    : static_cast<int>(axis);
  return absl::StrCat("vote/", post, "/", voter, "/", a);
}

ReputationReason VoteReason(common::v1::VoteChoice choice) {
  switch (choice) {
    case common::v1::VOTE_CHOICE_UP:
    case common::v1::VOTE_CHOICE_LIKE:
      return v1::REPUTATION_REASON_POST_UPVOTED;
    case common::v1::VOTE_CHOICE_DOWN:
      return v1::REPUTATION_REASON_POST_DOWNVOTED;
    case common::v1::VOTE_CHOICE_HELPFUL:
      return v1::REPUTATION_REASON_REVIEW_HELPFUL;
    default:  // star ratings and "not helpful" earn nothing
      return v1::REPUTATION_REASON_UNSPECIFIED;
  }
}

// A vote's effect on the post's author: the earlier award of this voter
// and axis (if any) is undone, then the new choice is rewarded when it
// counts (weight > 0; a held vote gives nothing) and is not a self-vote.
void PlanVote(const std::string& tenant, const common::v1::TargetRef& target,
              const std::string& author_name, const std::string& voter_name,
              common::v1::VoteAxis axis,
              std::optional<common::v1::VoteChoice> choice, double weight,
              std::vector<Step>& steps) {
  const std::string post = PostIn(tenant, target.name());
  const std::string author = MemberIn(tenant, author_name);
  const std::string voter = MemberIn(tenant, voter_name);
  if (post.empty() || author.empty() || voter.empty() || author == voter) {
    return;
  }
  const std::string key = VoteKey(post, voter, axis);
  steps.push_back(Undo(author, key, v1::REPUTATION_REASON_VOTE_UNDONE));
  if (!choice.has_value() || weight <= 0) return;
  const ReputationReason reason = VoteReason(*choice);
  if (reason == v1::REPUTATION_REASON_UNSPECIFIED) return;
  steps.push_back(Grant(author, reason, key, target.kind(), post));
}

std::optional<v1::Contribution> PublishedContribution(ContentKind kind) {
  switch (kind) {
    case common::v1::CONTENT_KIND_ANSWER:
      return v1::CONTRIBUTION_ANSWER;
    case common::v1::CONTENT_KIND_COMMENT:
      return v1::CONTRIBUTION_COMMENT;
    default:
      return v1::CONTRIBUTION_POST;
  }
}

// The steps of `event`, in the order they apply.
std::vector<Step> PlanSteps(const std::string& tenant,
                            const events::v1::Event& event) {
  std::vector<Step> steps;
  switch (event.payload_case()) {
    case events::v1::Event::kVoteCast: {
      const events::v1::VoteCast& cast = event.vote_cast();
      const std::string voter = MemberIn(tenant, cast.voter());
      if (!voter.empty())
        steps.push_back(Active(voter, v1::CONTRIBUTION_VOTE_CAST));
      PlanVote(tenant, cast.target(), cast.target_author(), cast.voter(),
               cast.axis(), cast.choice(), cast.weight(), steps);
      break;
    }
    case events::v1::Event::kVoteChanged: {
      const events::v1::VoteChanged& changed = event.vote_changed();
      const std::string voter = MemberIn(tenant, changed.voter());
      if (!voter.empty()) steps.push_back(Active(voter));
      PlanVote(tenant, changed.target(), changed.target_author(),
               changed.voter(), changed.axis(), changed.choice(),
               changed.weight(), steps);
      break;
    }
    case events::v1::Event::kVoteRetracted: {
      const events::v1::VoteRetracted& retracted = event.vote_retracted();
      PlanVote(tenant, retracted.target(), retracted.target_author(),
               retracted.voter(), retracted.axis(), std::nullopt, 0, steps);
      break;
    }
    case events::v1::Event::kVotesReversed: {
      const events::v1::VotesReversed& reversed = event.votes_reversed();
      const std::string author = MemberIn(tenant, reversed.author());
      const std::string voter = MemberIn(tenant, reversed.voter());
      if (author.empty() || voter.empty()) break;
      for (const std::string& target : reversed.targets()) {
        const std::string post = PostIn(tenant, target);
        if (post.empty()) continue;
        for (common::v1::VoteAxis axis : {common::v1::VOTE_AXIS_PRIMARY,
                                          common::v1::VOTE_AXIS_HELPFULNESS}) {
          steps.push_back(Undo(author, VoteKey(post, voter, axis),
                               v1::REPUTATION_REASON_SERIAL_VOTES_REVERSED));
        }
      }
      break;
    }
    case events::v1::Event::kPostPublished: {
      const events::v1::PostPublished& published = event.post_published();
      const std::string author = MemberIn(tenant, published.author());
      const std::string post = PostIn(tenant, published.post().name());
      if (author.empty() || post.empty()) break;
      steps.push_back(CountPost(author, published.post().kind(), post,
                                !published.republished()));
      // A post restored (an appeal overturned its removal) gives the
      // removal's points back.
      if (published.republished()) {
        steps.push_back(Undo(author, absl::StrCat("removed/", post),
                             v1::REPUTATION_REASON_POST_REMOVED));
      }
      break;
    }
    case events::v1::Event::kPostRemoved: {
      const events::v1::PostRemoved& removed = event.post_removed();
      const std::string author = MemberIn(tenant, removed.author());
      const std::string post = PostIn(tenant, removed.post().name());
      if (author.empty() || post.empty()) break;
      steps.push_back(UncountPost(author, post));
      // Rejected back to its author for fixing is not a sanction.
      if (removed.state() != common::v1::POST_STATE_REJECTED) {
        steps.push_back(Grant(author, v1::REPUTATION_REASON_POST_REMOVED,
                              absl::StrCat("removed/", post),
                              removed.post().kind(), post));
      }
      break;
    }
    case events::v1::Event::kPostDeleted: {
      const events::v1::PostDeleted& deleted = event.post_deleted();
      const std::string author = MemberIn(tenant, deleted.author());
      const std::string post = PostIn(tenant, deleted.post().name());
      if (author.empty() || post.empty()) break;
      steps.push_back(UncountPost(author, post));
      break;
    }
    case events::v1::Event::kAnswerAccepted: {
      const events::v1::AnswerAccepted& accepted = event.answer_accepted();
      const std::string question = PostIn(tenant, accepted.question());
      const std::string answer = PostIn(tenant, accepted.answer());
      const std::string answer_author =
          MemberIn(tenant, accepted.answer_author());
      const std::string asker = MemberIn(tenant, accepted.question_author());
      const std::string previous = PostIn(tenant, accepted.previous_answer());
      const std::string previous_author =
          MemberIn(tenant, accepted.previous_answer_author());
      if (!previous.empty() && previous != answer && !previous_author.empty()) {
        steps.push_back(Undo(previous_author,
                             absl::StrCat("accepted/", previous),
                             v1::REPUTATION_REASON_ANSWER_ACCEPTED));
      }
      // Accepting one's own answer earns nothing on either side.
      if (answer.empty() || answer_author.empty() || answer_author == asker) {
        break;
      }
      steps.push_back(Grant(answer_author,
                            v1::REPUTATION_REASON_ANSWER_ACCEPTED,
                            absl::StrCat("accepted/", answer),
                            common::v1::CONTENT_KIND_ANSWER, answer));
      if (!asker.empty() && !question.empty() &&
          MemberIn(tenant, accepted.accepted_by()) == asker) {
        steps.push_back(Active(asker));
        steps.push_back(Grant(asker, v1::REPUTATION_REASON_ACCEPTED_AN_ANSWER,
                              absl::StrCat("accepting/", question),
                              common::v1::CONTENT_KIND_QUESTION, question));
      }
      break;
    }
    case events::v1::Event::kIdeaStatusChanged: {
      const events::v1::IdeaStatusChanged& changed =
          event.idea_status_changed();
      const std::string author = MemberIn(tenant, changed.idea_author());
      const std::string idea = PostIn(tenant, changed.idea());
      if (changed.status() != common::v1::IDEA_STATUS_DELIVERED ||
          author.empty() || idea.empty()) {
        break;
      }
      steps.push_back(Grant(author, v1::REPUTATION_REASON_IDEA_DELIVERED,
                            absl::StrCat("delivered/", idea),
                            common::v1::CONTENT_KIND_IDEA, idea));
      break;
    }
    case events::v1::Event::kContestWinnersSelected: {
      const events::v1::ContestWinnersSelected& selected =
          event.contest_winners_selected();
      absl::StatusOr<std::vector<std::string>> round = ParseName(
          "round", selected.round(), {"tenants", "contests", "rounds"});
      if (!round.ok() || (*round)[0] != tenant) break;
      for (const events::v1::ContestWinner& winner : selected.winners()) {
        const std::string author = MemberIn(tenant, winner.author());
        const std::string entry = PostIn(tenant, winner.entry());
        if (author.empty() || entry.empty()) continue;
        steps.push_back(Grant(
            author, v1::REPUTATION_REASON_CONTEST_PRIZE,
            absl::StrCat("prize/", (*round)[1], "/", (*round)[2], "/", entry),
            common::v1::CONTENT_KIND_CONTEST_ENTRY, entry));
      }
      break;
    }
    case events::v1::Event::kShareMilestoneReached: {
      const events::v1::ShareMilestoneReached& reached =
          event.share_milestone_reached();
      const std::string sharer = MemberIn(tenant, reached.sharer());
      const std::string link = IdIn(tenant, reached.short_link(), "shortLinks");
      if (sharer.empty() || link.empty()) break;
      steps.push_back(
          Grant(sharer, v1::REPUTATION_REASON_SHARE_MILESTONE,
                absl::StrCat("share/", link, "/", reached.milestone()),
                reached.post().kind(), PostIn(tenant, reached.post().name())));
      break;
    }
    default:
      break;
  }
  return steps;
}

bool Handles(events::v1::Event::PayloadCase payload) {
  switch (payload) {
    case events::v1::Event::kVoteCast:
    case events::v1::Event::kVoteChanged:
    case events::v1::Event::kVoteRetracted:
    case events::v1::Event::kVotesReversed:
    case events::v1::Event::kPostPublished:
    case events::v1::Event::kPostRemoved:
    case events::v1::Event::kPostDeleted:
    case events::v1::Event::kAnswerAccepted:
    case events::v1::Event::kIdeaStatusChanged:
    case events::v1::Event::kContestWinnersSelected:
    case events::v1::Event::kShareMilestoneReached:
    case events::v1::Event::kMemberErased:
      return true;
    default:
      return false;
  }
}

bool IsUuid(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// Which figure a reason's rows move by one (besides points).
void MoveFigures(int reason, int sign, ReputationFigures& figures) {
  if (reason == v1::REPUTATION_REASON_ANSWER_ACCEPTED) {
    figures.accepted_answers =
        std::max<int64_t>(0, figures.accepted_answers + sign);
  } else if (reason == v1::REPUTATION_REASON_REVIEW_HELPFUL) {
    figures.helpful_reviews =
        std::max<int64_t>(0, figures.helpful_reviews + sign);
  }
}

bool MovesFigures(int reason) {
  return reason == v1::REPUTATION_REASON_ANSWER_ACCEPTED ||
         reason == v1::REPUTATION_REASON_REVIEW_HELPFUL;
}

// The contribution a reason's rows count for the most-active board.
std::optional<v1::Contribution> ReceivedContribution(int reason) {
  if (reason == v1::REPUTATION_REASON_POST_UPVOTED) {
    return v1::CONTRIBUTION_UPVOTE_RECEIVED;
  }
  if (reason == v1::REPUTATION_REASON_ANSWER_ACCEPTED) {
    return v1::CONTRIBUTION_ACCEPTED_ANSWER;
  }
  return std::nullopt;
}

// Applies one event's steps: locks the members' totals, writes the ledger,
// awards and revokes titles, and collects the announcements.
class StepRunner {
 public:
  StepRunner(RankingContext& context, pqxx::transaction_base& tx,
             std::string tenant, const events::v1::Event& source,
             v1::ReputationPolicy policy, absl::Time when, absl::CivilDay day)
      : context_(context),
        tx_(tx),
        tenant_(std::move(tenant)),
        source_(source),
        policy_(std::move(policy)),
        when_(when),
        day_(day),
        now_(context.now()) {}

  absl::Status Run(std::vector<Step> steps) {
    std::vector<std::string> members;
    for (const Step& step : steps) members.push_back(step.member);
    const std::vector<std::string> erased_list =
        ErasedMembers(tx_, tenant_, members);
    const std::set<std::string> erased(erased_list.begin(), erased_list.end());
    steps.erase(std::remove_if(steps.begin(), steps.end(),
                               [&](const Step& step) {
                                 return erased.contains(step.member);
                               }),
                steps.end());
    members.clear();
    for (const Step& step : steps) members.push_back(step.member);
    figures_ = LockReputations(tx_, tenant_, members, now_);
    for (const Step& step : steps) {
      switch (step.type) {
        case Step::Type::kGrant:
          ApplyGrant(step);
          break;
        case Step::Type::kUndo:
          ApplyUndo(step);
          break;
        case Step::Type::kActive:
          ApplyActive(step.member, step.contribution);
          break;
        case Step::Type::kCountPost:
          ApplyCountPost(step);
          break;
        case Step::Type::kUncountPost:
          ApplyUncountPost(step);
          break;
      }
    }
    for (auto& [member, state] : states_) {
      if (!state.changed) continue;
      ReputationFigures& figures = figures_[member];
      figures.update_time = now_;
      SaveReputation(tx_, tenant_, member, figures);
      if (state.unannounced) Announce(member, 0, state.subject, "");
      AwardTitles(member, figures);
    }
    if (records_.empty()) return absl::OkStatus();
    return context_.outbox.AppendAll(tx_, records_);
  }

 private:
  struct MemberState {
    bool changed = false;      // figures or points moved: save them
    bool unannounced = false;  // moved since the last announcement
    std::optional<common::v1::TargetRef> subject;
  };

  common::v1::TargetRef Target(int kind, const std::string& post) const {
    common::v1::TargetRef target;
    target.set_kind(static_cast<ContentKind>(kind));
    target.set_name(PostResourceName(tenant_, post));
    return target;
  }

  // Moves the member's points by `delta`, never below 1; the points
  // actually moved.
  int64_t MovePoints(const std::string& member, int64_t delta) {
    ReputationFigures& figures = figures_[member];
    const int64_t before = figures.points;
    figures.points = std::max<int64_t>(1, before + delta);
    return figures.points - before;
  }

  LedgerRow NewRow(const std::string& member, int reason) {
    LedgerRow row;
    row.member = member;
    row.reason = reason;
    row.source_event = source_.id();
    row.source_seq = seq_++;
    row.day = day_;
    row.create_time = when_;
    return row;
  }

  void ApplyGrant(const Step& step) {
    if (FindStandingAward(tx_, tenant_, step.member, step.key).has_value()) {
      return;  // rewarded once
    }
    const int64_t uncapped =
        RulePoints(policy_, step.reason, step.subject_kind);
    if (uncapped == 0 && !MovesFigures(step.reason) &&
        !ReceivedContribution(step.reason).has_value()) {
      return;
    }
    int64_t points = uncapped;
    const bool capped = uncapped > 0 && policy_.daily_cap() > 0 &&
                        !CapExempt(policy_, step.reason);
    if (capped) {
      const int64_t used = PointsTowardCap(tx_, tenant_, step.member, day_);
      points =
          std::min(uncapped, std::max<int64_t>(0, policy_.daily_cap() - used));
    }
    LedgerRow row = NewRow(step.member, step.reason);
    row.points = MovePoints(step.member, points);
    row.uncapped_points = uncapped;
    row.subject_kind = step.subject_kind;
    row.subject = step.subject;
    row.award_key = step.key;
    row.counts_toward_cap = capped;
    InsertLedgerRow(tx_, tenant_, row);
    MoveFigures(step.reason, +1, figures_[step.member]);
    if (std::optional<v1::Contribution> contribution =
            ReceivedContribution(step.reason)) {
      AddContribution(tx_, tenant_, step.member, day_, *contribution, 1);
    }
    Changed(step.member, row, MovesFigures(step.reason));
  }

  void ApplyUndo(const Step& step) {
    std::optional<LedgerRow> award =
        FindStandingAward(tx_, tenant_, step.member, step.key);
    if (!award.has_value()) return;
    MarkUndone(tx_, tenant_, award->id);
    LedgerRow row = NewRow(step.member, step.reason);
    row.points = MovePoints(step.member, -award->points);
    row.uncapped_points = -award->points;
    row.subject_kind = award->subject_kind;
    row.subject = award->subject;
    row.undoes = award->id;
    if (award->points != 0 || MovesFigures(award->reason)) {
      InsertLedgerRow(tx_, tenant_, row);
    }
    MoveFigures(award->reason, -1, figures_[step.member]);
    if (std::optional<v1::Contribution> contribution =
            ReceivedContribution(award->reason)) {
      AddContribution(tx_, tenant_, step.member, award->day, *contribution, -1);
    }
    if (!row.id.empty()) Changed(step.member, row, MovesFigures(award->reason));
  }

  void ApplyActive(const std::string& member,
                   std::optional<v1::Contribution> contribution) {
    if (contribution.has_value()) {
      AddContribution(tx_, tenant_, member, day_, *contribution, 1);
    }
    if (MarkActiveDay(tx_, tenant_, member, day_)) {
      ++figures_[member].active_days;
      FiguresMoved(member, std::nullopt);
    }
  }

  void ApplyCountPost(const Step& step) {
    std::optional<CountedPost> post =
        LoadCountedPost(tx_, tenant_, step.subject);
    if (post.has_value() && post->counted) return;
    SaveCountedPost(tx_, tenant_, step.subject, {step.member, true});
    ++figures_[step.member].published_posts;
    FiguresMoved(step.member, Target(step.subject_kind, step.subject));
    if (!post.has_value() && step.first_publication) {
      ApplyActive(step.member, PublishedContribution(step.subject_kind));
    }
  }

  void ApplyUncountPost(const Step& step) {
    std::optional<CountedPost> post =
        LoadCountedPost(tx_, tenant_, step.subject);
    if (!post.has_value() || !post->counted) return;
    SaveCountedPost(tx_, tenant_, step.subject, {post->author, false});
    if (post->author != step.member) return;
    ReputationFigures& figures = figures_[step.member];
    figures.published_posts = std::max<int64_t>(0, figures.published_posts - 1);
    FiguresMoved(step.member, std::nullopt);
  }

  void FiguresMoved(const std::string& member,
                    std::optional<common::v1::TargetRef> subject) {
    MemberState& state = states_[member];
    state.changed = true;
    state.unannounced = true;
    if (subject.has_value()) state.subject = std::move(subject);
  }

  // A ledger row was written: announced at once when it moved something.
  void Changed(const std::string& member, const LedgerRow& row,
               bool figures_moved) {
    MemberState& state = states_[member];
    if (row.points == 0 && !figures_moved) return;
    state.changed = true;
    state.unannounced = false;
    Announce(member, row.points,
             row.subject.empty()
                 ? std::nullopt
                 : std::optional(Target(row.subject_kind, row.subject)),
             row.id);
  }

  events::v1::Event NewAnnouncement(const std::string& member) {
    events::v1::Event event =
        events::NewEvent(events::v1::PRODUCER_RANKING, tenant_, source_.actor(),
                         MemberResourceName(tenant_, member), now_);
    event.set_request_id(source_.request_id());
    event.set_trace_parent(source_.trace_parent());
    return event;
  }

  void Announce(const std::string& member, int64_t delta,
                const std::optional<common::v1::TargetRef>& subject,
                const std::string& ledger_id) {
    const ReputationFigures& figures = figures_[member];
    events::v1::Event event = NewAnnouncement(member);
    events::v1::ReputationChanged* changed = event.mutable_reputation_changed();
    changed->set_member(MemberResourceName(tenant_, member));
    changed->set_delta(delta);
    changed->set_points(figures.points);
    changed->set_published_posts(figures.published_posts);
    changed->set_accepted_answers(figures.accepted_answers);
    changed->set_helpful_reviews(figures.helpful_reviews);
    changed->set_active_days(figures.active_days);
    if (subject.has_value()) *changed->mutable_subject() = *subject;
    if (!ledger_id.empty()) {
      changed->set_reputation_event(
          absl::StrCat(MemberResourceName(tenant_, member),
                       "/reputationEvents/", ledger_id));
    }
    Record(event);
  }

  // Titles whose thresholds the member now meets are awarded (once);
  // revocable ones whose thresholds they no longer meet are taken away.
  void AwardTitles(const std::string& member,
                   const ReputationFigures& figures) {
    std::set<std::string> held;
    for (const HeldTitle& title : LoadTitles(tx_, tenant_, member)) {
      held.insert(title.title_id);
    }
    for (const v1::TitleDefinition& title : policy_.titles()) {
      const bool met = figures.points >= title.min_points() &&
                       figures.accepted_answers >= title.min_accepted_answers();
      if (met && !held.contains(title.title_id())) {
        InsertTitle(tx_, tenant_, member,
                    {title.title_id(), title.display_name(), when_});
        events::v1::Event event = NewAnnouncement(member);
        events::v1::TitleAwarded* awarded = event.mutable_title_awarded();
        awarded->set_member(MemberResourceName(tenant_, member));
        awarded->mutable_title()->set_title(
            absl::StrCat("tenants/", tenant_, "/titles/", title.title_id()));
        *awarded->mutable_title()->mutable_display_name() =
            title.display_name();
        *awarded->mutable_title()->mutable_award_time() = ToTimestamp(when_);
        Record(event);
      } else if (!met && title.revocable() && held.contains(title.title_id())) {
        DeleteTitle(tx_, tenant_, member, title.title_id());
      }
    }
  }

  void Record(const events::v1::Event& event) {
    absl::StatusOr<events::EventRecord> record = events::ToRecord(event);
    if (record.ok()) records_.push_back(*std::move(record));
  }

  RankingContext& context_;
  pqxx::transaction_base& tx_;
  const std::string tenant_;
  const events::v1::Event& source_;
  const v1::ReputationPolicy policy_;
  const absl::Time when_;
  const absl::CivilDay day_;
  const absl::Time now_;
  int seq_ = 0;
  std::map<std::string, ReputationFigures> figures_;
  std::map<std::string, MemberState> states_;
  std::vector<events::EventRecord> records_;
};

// --- Reading ---

v1::ReputationEvent ToEventProto(const std::string& tenant,
                                 const LedgerRow& row) {
  v1::ReputationEvent event;
  event.set_name(absl::StrCat(MemberResourceName(tenant, row.member),
                              "/reputationEvents/", row.id));
  event.set_reason(static_cast<ReputationReason>(row.reason));
  event.set_points(row.points);
  event.set_uncapped_points(row.uncapped_points);
  if (!row.subject.empty()) {
    event.mutable_subject()->set_kind(
        static_cast<ContentKind>(row.subject_kind));
    event.mutable_subject()->set_name(PostResourceName(tenant, row.subject));
  }
  *event.mutable_create_time() = ToTimestamp(row.create_time);
  return event;
}

std::string EncodePosition(const LedgerRow& row) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(absl::ToUnixMicros(row.create_time), "/", row.position));
}

absl::StatusOr<std::optional<LedgerPosition>> DecodePosition(
    const std::string& token) {
  if (token.empty()) return std::nullopt;
  std::string text;
  std::vector<std::string> parts;
  if (token.size() <= 200 && absl::WebSafeBase64Unescape(token, &text)) {
    parts = absl::StrSplit(text, '/');
  }
  LedgerPosition position;
  if (parts.size() != 2 ||
      !absl::SimpleAtoi(parts[0], &position.create_micros) ||
      !absl::SimpleAtoi(parts[1], &position.position)) {
    return absl::InvalidArgumentError(
        "page_token: not a token this method returned");
  }
  return position;
}

absl::Status RequireSameTenant(const auth::Principal& caller,
                               const std::string& tenant) {
  absl::Status status = auth::RequireTenant(caller, tenant);
  return status.ok() ? status : status::WithReason(status, "TENANT_MISMATCH");
}

absl::Status NoMember(absl::string_view field, const std::string& tenant,
                      const std::string& member) {
  return absl::NotFoundError(
      absl::StrCat(field, ": no member ", MemberResourceName(tenant, member)));
}

}  // namespace

v1::ReputationPolicy DefaultReputationPolicy() {
  v1::ReputationPolicy policy;
  AddRule(policy, v1::REPUTATION_REASON_POST_UPVOTED, 10,
          common::v1::CONTENT_KIND_ANSWER);
  AddRule(policy, v1::REPUTATION_REASON_POST_UPVOTED, 5);
  AddRule(policy, v1::REPUTATION_REASON_POST_DOWNVOTED, -2);
  AddRule(policy, v1::REPUTATION_REASON_ANSWER_ACCEPTED, 15);
  AddRule(policy, v1::REPUTATION_REASON_ACCEPTED_AN_ANSWER, 2);
  AddRule(policy, v1::REPUTATION_REASON_IDEA_DELIVERED, 50);
  AddRule(policy, v1::REPUTATION_REASON_REVIEW_HELPFUL, 2);
  AddRule(policy, v1::REPUTATION_REASON_CONTEST_PRIZE, 100);
  AddRule(policy, v1::REPUTATION_REASON_SHARE_MILESTONE, 10);
  AddRule(policy, v1::REPUTATION_REASON_POST_REMOVED, -20);
  policy.set_daily_cap(200);
  policy.add_cap_exempt_reasons(v1::REPUTATION_REASON_ANSWER_ACCEPTED);
  policy.add_cap_exempt_reasons(v1::REPUTATION_REASON_IDEA_DELIVERED);
  policy.add_cap_exempt_reasons(v1::REPUTATION_REASON_CONTEST_PRIZE);
  return policy;
}

absl::Status ValidateReputationPolicy(const v1::ReputationPolicy& policy,
                                      const std::set<std::string>& paths) {
  if (paths.contains("rules")) {
    if (absl::Status status = ValidateRules(policy); !status.ok()) {
      return status;
    }
  }
  if (paths.contains("daily_cap") &&
      (policy.daily_cap() < 0 || policy.daily_cap() > 10000)) {
    return Invalid("daily_cap", "must be 0..10,000 (0: no cap)");
  }
  if (paths.contains("cap_exempt_reasons")) {
    if (absl::Status status = ValidateCapExempt(policy); !status.ok()) {
      return status;
    }
  }
  if (paths.contains("titles")) return ValidateTitles(policy);
  return absl::OkStatus();
}

absl::Status ApplyReputationEvent(RankingContext& context,
                                  pqxx::transaction_base& tx,
                                  const events::v1::Event& event) {
  if (!Handles(event.payload_case())) return absl::OkStatus();
  absl::StatusOr<std::string> tenant =
      ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  if (!IsUuid(event.id())) {
    return absl::InvalidArgumentError("id: must be a UUID");
  }
  if (!RecordReputationSource(tx, *tenant, event.id())) {
    return absl::OkStatus();  // applied before
  }
  if (event.has_member_erased()) {
    const std::string member =
        MemberIn(*tenant, event.member_erased().member());
    if (!member.empty()) EraseReputation(tx, *tenant, member);
    return absl::OkStatus();
  }
  std::vector<Step> steps = PlanSteps(*tenant, event);
  if (steps.empty()) return absl::OkStatus();
  const absl::Time when =
      event.has_occur_time() ? TimeOf(event.occur_time()) : context.now();
  const absl::CivilDay day = absl::ToCivilDay(when, ZoneOf(tx, *tenant));
  StoredReputationPolicy stored = LoadReputationPolicy(tx, *tenant);
  StepRunner runner(context, tx, *tenant, event,
                    stored.policy.value_or(DefaultReputationPolicy()), when,
                    day);
  return runner.Run(std::move(steps));
}

absl::StatusOr<v1::Reputation> LoadMemberReputation(RankingContext& context,
                                                    pqxx::transaction_base& tx,
                                                    const std::string& tenant,
                                                    const std::string& member) {
  if (FindMember(tx, tenant, member) != MemberPresence::kKnown) {
    return NoMember("name", tenant, member);
  }
  const ReputationFigures figures =
      LoadReputation(tx, tenant, member).value_or(ReputationFigures{});
  const absl::CivilDay today =
      absl::ToCivilDay(context.now(), ZoneOf(tx, tenant));
  const PointsInWindows windows = SumPoints(tx, tenant, member, today);
  v1::Reputation reputation;
  reputation.set_name(
      absl::StrCat(MemberResourceName(tenant, member), "/reputation"));
  reputation.set_points(figures.points);
  reputation.set_points_today(windows.today);
  reputation.set_points_week(windows.week);
  reputation.set_points_month(windows.month);
  reputation.set_rank(CountMembersAbove(tx, tenant, figures.points) + 1);
  reputation.set_published_posts(figures.published_posts);
  reputation.set_accepted_answers(figures.accepted_answers);
  reputation.set_helpful_reviews(figures.helpful_reviews);
  reputation.set_active_days(figures.active_days);
  std::set<std::string> held;
  for (const HeldTitle& title : LoadTitles(tx, tenant, member)) {
    held.insert(title.title_id);
    common::v1::AwardedTitle* awarded = reputation.add_titles();
    awarded->set_title(
        absl::StrCat("tenants/", tenant, "/titles/", title.title_id));
    *awarded->mutable_display_name() = title.display_name;
    *awarded->mutable_award_time() = ToTimestamp(title.award_time);
  }
  const v1::ReputationPolicy policy =
      PolicyOf(tenant, LoadReputationPolicy(tx, tenant));
  for (const v1::TitleDefinition& title : policy.titles()) {
    if (held.contains(title.title_id())) continue;
    v1::NextTitle* next = reputation.mutable_next_title();
    next->set_title(
        absl::StrCat("tenants/", tenant, "/titles/", title.title_id()));
    *next->mutable_display_name() = title.display_name();
    next->set_points_needed(
        std::max<int64_t>(0, title.min_points() - figures.points));
    next->set_accepted_answers_needed(std::max<int64_t>(
        0, title.min_accepted_answers() - figures.accepted_answers));
    break;
  }
  if (figures.update_time != absl::InfinitePast()) {
    *reputation.mutable_update_time() = ToTimestamp(figures.update_time);
  }
  return reputation;
}

std::vector<v1::ReputationEvent> LoadAllReputationEvents(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member) {
  std::vector<v1::ReputationEvent> events;
  std::optional<LedgerPosition> after;
  constexpr int kPage = 500;
  for (;;) {
    const std::vector<LedgerRow> rows = ListLedgerRows(
        tx, tenant, member, std::nullopt, std::nullopt, after, kPage);
    for (const LedgerRow& row : rows)
      events.push_back(ToEventProto(tenant, row));
    if (static_cast<int>(rows.size()) < kPage) return events;
    after = LedgerPosition{absl::ToUnixMicros(rows.back().create_time),
                           rows.back().position};
  }
}

absl::StatusOr<v1::Reputation> GetReputation(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetReputationRequest& request) {
  absl::StatusOr<std::vector<std::string>> name =
      ParseName("name", request.name(), {"tenants", "members"}, "reputation");
  if (!name.ok()) return name.status();
  const std::string tenant = (*name)[0];
  std::string member = (*name)[1];
  if (member == "me") {
    if (caller == nullptr || caller->is_service_account) {
      return absl::InvalidArgumentError("name: `me` needs a signed-in member");
    }
    member = caller->subject;
  }
  if (caller != nullptr) {
    if (absl::Status allowed = RequireSameTenant(*caller, tenant);
        !allowed.ok()) {
      return allowed;
    }
  }
  v1::Reputation reputation;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<v1::Reputation> loaded =
            LoadMemberReputation(context, tx, tenant, member);
        if (!loaded.ok()) return loaded.status();
        reputation = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return reputation;
}

absl::StatusOr<v1::ListReputationEventsResponse> ListReputationEvents(
    RankingContext& context, const auth::Principal& caller,
    const v1::ListReputationEventsRequest& request) {
  absl::StatusOr<MemberName> member =
      ParseMemberName("parent", request.parent(), &caller);
  if (!member.ok()) return member.status();
  if (absl::Status allowed = RequireSameTenant(caller, member->tenant);
      !allowed.ok()) {
    return allowed;
  }
  const bool own =
      !caller.is_service_account && caller.subject == member->member;
  if (!own) {
    if (absl::Status role = auth::RequireRole(
            caller, {auth::kRoleModerator, auth::kRoleTenantAdmin,
                     auth::kRolePlatformAdmin});
        !role.ok()) {
      return status::WithReason(
          absl::PermissionDeniedError(
              "members list only their own reputation events; moderators "
              "and tenant admins any"),
          "ROLE_REQUIRED");
    }
  }
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size =
      request.page_size() == 0 ? 20 : std::min(request.page_size(), 100);
  absl::StatusOr<std::optional<LedgerPosition>> after =
      DecodePosition(request.page_token());
  if (!after.ok()) return after.status();
  std::optional<absl::Time> start, end;
  if (request.time_range().has_start_time()) {
    start = TimeOf(request.time_range().start_time());
  }
  if (request.time_range().has_end_time()) {
    end = TimeOf(request.time_range().end_time());
  }
  if (start.has_value() && end.has_value() && *start >= *end) {
    return absl::InvalidArgumentError(
        "time_range: start_time must be before end_time");
  }
  v1::ListReputationEventsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        if (FindMember(tx, member->tenant, member->member) !=
            MemberPresence::kKnown) {
          return NoMember("parent", member->tenant, member->member);
        }
        std::vector<LedgerRow> rows =
            ListLedgerRows(tx, member->tenant, member->member, start, end,
                           *after, page_size + 1);
        const bool more = static_cast<int>(rows.size()) > page_size;
        if (more) rows.resize(page_size);
        for (const LedgerRow& row : rows) {
          *response.add_reputation_events() = ToEventProto(member->tenant, row);
        }
        if (more) response.set_next_page_token(EncodePosition(rows.back()));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ReputationPolicy> GetReputationPolicy(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetReputationPolicyRequest& request) {
  absl::StatusOr<std::vector<std::string>> name =
      ParseName("name", request.name(), {"tenants"}, "reputationPolicy");
  if (!name.ok()) return name.status();
  const std::string tenant = (*name)[0];
  if (caller != nullptr) {
    if (absl::Status allowed = RequireSameTenant(*caller, tenant);
        !allowed.ok()) {
      return allowed;
    }
  }
  v1::ReputationPolicy policy;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (!TenantKnown(tx, tenant)) {
          return absl::NotFoundError(
              absl::StrCat("name: no tenant tenants/", tenant));
        }
        policy = PolicyOf(tenant, LoadReputationPolicy(tx, tenant));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return policy;
}

absl::StatusOr<v1::ReputationPolicy> UpdateReputationPolicy(
    RankingContext& context, const auth::Principal& caller,
    const v1::UpdateReputationPolicyRequest& request) {
  const v1::ReputationPolicy& wanted = request.reputation_policy();
  absl::StatusOr<std::vector<std::string>> name = ParseName(
      "reputation_policy.name", wanted.name(), {"tenants"}, "reputationPolicy");
  if (!name.ok()) return name.status();
  const std::string tenant = (*name)[0];
  if (!caller.HasRole(auth::kRolePlatformAdmin)) {
    if (absl::Status allowed = RequireSameTenant(caller, tenant);
        !allowed.ok()) {
      return allowed;
    }
    if (caller.is_service_account ||
        !auth::RequireRole(caller, {auth::kRoleTenantAdmin}).ok()) {
      return status::WithReason(
          absl::PermissionDeniedError(
              "only tenant admins of the tenant update its reputation policy"),
          "ROLE_REQUIRED");
    }
  }
  absl::StatusOr<std::set<std::string>> paths = api::MaskPaths(
      request.update_mask(), kMutablePolicyFields, "reputation_policy");
  if (!paths.ok()) return paths.status();
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  if (absl::Status valid = ValidateReputationPolicy(wanted, *paths);
      !valid.ok()) {
    return valid;
  }
  const idempotency::IdempotencyKey key{
      tenant, "UpdateReputationPolicy", request.request_id(),
      caller.is_service_account
          ? caller.subject
          : MemberResourceName(caller.tenant, caller.subject)};
  v1::ReputationPolicy updated;
  absl::Status status = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        if (!TenantKnown(tx, tenant)) {
          return absl::NotFoundError(absl::StrCat(
              "reputation_policy.name: no tenant tenants/", tenant));
        }
        // Serializes updates of the tenant's policy, the first included
        // (no row to lock yet).
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                       "reputation_policy/" + tenant);
        const StoredReputationPolicy stored =
            LoadReputationPolicy(tx, tenant, true);
        const v1::ReputationPolicy current = PolicyOf(tenant, stored);
        if (!wanted.etag().empty() && wanted.etag() != current.etag()) {
          return api::EtagMismatch("reputation_policy.etag", "the policy");
        }
        v1::ReputationPolicy next =
            stored.policy.value_or(DefaultReputationPolicy());
        if (paths->contains("rules")) *next.mutable_rules() = wanted.rules();
        if (paths->contains("daily_cap"))
          next.set_daily_cap(wanted.daily_cap());
        if (paths->contains("cap_exempt_reasons")) {
          *next.mutable_cap_exempt_reasons() = wanted.cap_exempt_reasons();
        }
        if (paths->contains("titles")) *next.mutable_titles() = wanted.titles();
        const absl::Time now = context.now();
        const int64_t version = SaveReputationPolicy(tx, tenant, next, now);
        updated = next;
        updated.set_name(PolicyName(tenant));
        updated.set_etag(absl::StrCat("v", version));
        *updated.mutable_update_time() = ToTimestamp(now);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

}  // namespace agora::ranking
