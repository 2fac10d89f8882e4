// The review catalogue and contests: products with their rating summaries
// and one review per member, contests whose rounds open and close entries
// by time, and a jury choosing winners among the finalists.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/contests.h"
#include "services/content/domain/post_reads.h"
#include "services/content/domain/products.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp At(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

class CatalogTest : public ContentTest {
 protected:
  void SetUp() override {
    ContentTest::SetUp();
    AnnounceMember("alice", "Alice", /*verified_customer=*/true);
    AnnounceMember("bruno", "Bruno");
  }

  v1::Product MakeProduct(const std::string& id) {
    v1::CreateProductRequest request;
    request.set_parent("tenants/" + tenant_);
    request.set_product_id(id);
    (*request.mutable_product()
          ->mutable_display_name()
          ->mutable_translations())["fr"] = "Produit " + id;
    request.mutable_product()->set_uri("https://banque.example/" + id);
    absl::StatusOr<v1::Product> product =
        CreateProduct(*context_, Admin(), request);
    EXPECT_TRUE(product.ok()) << product.status();
    return product.value_or(v1::Product());
  }

  absl::StatusOr<v1::Post> Review(const std::string& member,
                                  const std::string& product, int rating) {
    v1::Post review;
    review.set_kind(common::CONTENT_KIND_REVIEW);
    review.set_space(SpaceName("avis"));
    review.set_title("Mon avis");
    review.set_body("Très bien dans l'ensemble.");
    review.mutable_review()->set_product(
        absl::StrCat("tenants/", tenant_, "/products/", product));
    review.mutable_review()->set_rating(rating);
    review.mutable_review()->set_pros("Simple");
    return Create(Member(member), review);
  }

  v1::Product Product(const std::string& id) {
    v1::GetProductRequest request;
    request.set_name(absl::StrCat("tenants/", tenant_, "/products/", id));
    absl::StatusOr<v1::Product> product =
        GetProduct(*context_, nullptr, request);
    EXPECT_TRUE(product.ok()) << product.status();
    return product.value_or(v1::Product());
  }

  // A contest of two weekly rounds and a grand final, starting an hour ago.
  v1::Contest MakeContest(
      const std::string& id,
      v1::Contest::State state = v1::Contest::STATE_PUBLISHED) {
    v1::CreateContestRequest request;
    request.set_parent("tenants/" + tenant_);
    request.set_contest_id(id);
    v1::Contest& contest = *request.mutable_contest();
    contest.set_space(SpaceName("concours"));
    (*contest.mutable_title()->mutable_translations())["fr"] = "Concours photo";
    contest.set_rules_uri("https://banque.example/reglement");
    contest.set_state(state);
    const absl::Time start = now_ - absl::Hours(1);
    for (int week = 0; week < 3; ++week) {
      v1::Round& round = *contest.add_rounds();
      round.set_round_id(week == 2 ? "finale"
                                   : absl::StrCat("semaine-", week + 1));
      *round.mutable_submission_start_time() =
          At(start + absl::Hours(24 * 7 * week));
      *round.mutable_submission_end_time() =
          At(start + absl::Hours(24 * 7 * week + 24 * 5));
      *round.mutable_voting_end_time() =
          At(start + absl::Hours(24 * 7 * week + 24 * 6));
      round.set_finalist_count(3);
      round.set_grand_final(week == 2);
      v1::Prize& prize = *round.add_prizes();
      prize.set_rank(1);
      (*prize.mutable_description()->mutable_translations())["fr"] = "Un vélo";
    }
    absl::StatusOr<v1::Contest> created =
        CreateContest(*context_, Staff("camille"), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Contest());
  }

  absl::StatusOr<v1::Post> Enter(const std::string& member,
                                 const std::string& round,
                                 const std::string& image = "") {
    v1::Post entry;
    entry.set_kind(common::CONTENT_KIND_CONTEST_ENTRY);
    entry.set_space(SpaceName("concours"));
    entry.set_title("Ma photo");
    entry.set_body("Le lac au lever du soleil.");
    entry.mutable_contest_entry()->set_round(round);
    entry.mutable_contest_entry()->set_image_uri(image);
    return Create(Member(member), entry);
  }
};

TEST_F(CatalogTest, ProductsCarryTheSummaryOfTheirPublishedReviews) {
  MakeSpace("avis", v1::SPACE_KIND_REVIEWS);
  MakeProduct("carte-gold");
  MakeProduct("livret-a");
  ASSERT_TRUE(Review("alice", "carte-gold", 5).ok());
  ASSERT_TRUE(Review("bruno", "carte-gold", 2).ok());
  ASSERT_TRUE(Review("bruno", "livret-a", 4).ok());
  const v1::Product gold = Product("carte-gold");
  const v1::RatingSummary& summary = gold.rating_summary();
  EXPECT_EQ(summary.review_count(), 2);
  EXPECT_DOUBLE_EQ(summary.average_rating(), 3.5);
  ASSERT_EQ(summary.histogram_size(), 5);
  EXPECT_EQ(summary.histogram(4), 1);
  EXPECT_EQ(summary.histogram(1), 1);
  EXPECT_EQ(summary.verified_customer_count(), 1);
  // The tenant mean (11/3) pulls the two reviews toward it.
  EXPECT_NEAR(summary.bayesian_rating(), (11.0 / 3 * 5 + 7) / 7, 1e-9);
  EXPECT_EQ(Product("livret-a").rating_summary().review_count(), 1);
  EXPECT_DOUBLE_EQ(BayesianRating(0, 0, 3, 5), 0);

  v1::ListProductsRequest list;
  list.set_parent("tenants/" + tenant_);
  list.set_page_size(1);
  absl::StatusOr<v1::ListProductsResponse> page =
      ListProducts(*context_, nullptr, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->products_size(), 1);
  EXPECT_EQ(page->products(0).name(),
            absl::StrCat("tenants/", tenant_, "/products/carte-gold"));
  EXPECT_EQ(page->products(0).rating_summary().review_count(), 2);
  list.set_page_token(page->next_page_token());
  page = ListProducts(*context_, nullptr, list);
  ASSERT_EQ(page->products_size(), 1);
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST_F(CatalogTest, OneReviewPerMemberAndProductAndOnlyOfActiveProducts) {
  MakeSpace("avis", v1::SPACE_KIND_REVIEWS);
  MakeProduct("carte-gold");
  absl::StatusOr<v1::Post> review = Review("alice", "carte-gold", 4);
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_TRUE(review->review().verified_customer());
  absl::Status second = Review("alice", "carte-gold", 1).status();
  EXPECT_EQ(second.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(second), "ALREADY_REVIEWED");
  EXPECT_EQ(Review("alice", "carte-gold", 6).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Review("bruno", "inconnu", 3).status().code(),
            absl::StatusCode::kNotFound);

  v1::UpdateProductRequest withdraw;
  withdraw.mutable_product()->set_name(
      absl::StrCat("tenants/", tenant_, "/products/carte-gold"));
  withdraw.mutable_product()->set_state(v1::Product::STATE_WITHDRAWN);
  withdraw.mutable_update_mask()->add_paths("state");
  EXPECT_EQ(UpdateProduct(*context_, Member("alice"), withdraw).status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(UpdateProduct(*context_, Admin(), withdraw).ok());
  absl::Status withdrawn = Review("bruno", "carte-gold", 3).status();
  EXPECT_EQ(withdrawn.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(withdrawn.message(), "post.review.product"));
  // A product with reviews is withdrawn, never deleted.
  v1::DeleteProductRequest remove;
  remove.set_name(withdraw.product().name());
  EXPECT_EQ(DeleteProduct(*context_, Admin(), remove).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::ListProductsRequest list;
  list.set_parent("tenants/" + tenant_);
  EXPECT_EQ(ListProducts(*context_, nullptr, list)->products_size(), 0);
  list.set_show_withdrawn(true);
  EXPECT_EQ(ListProducts(*context_, nullptr, list)->products_size(), 1);
}

TEST_F(CatalogTest, ContestRoundsAreCheckedWhenCreated) {
  MakeSpace("concours", v1::SPACE_KIND_CONTESTS);
  MakeSpace("forum", v1::SPACE_KIND_FORUM);
  v1::CreateContestRequest request;
  request.set_parent("tenants/" + tenant_);
  request.set_contest_id("photo");
  v1::Contest& contest = *request.mutable_contest();
  contest.set_space(SpaceName("concours"));
  (*contest.mutable_title()->mutable_translations())["fr"] = "Photo";
  contest.set_rules_uri("http://insecure.example/rules");
  v1::Round& round = *contest.add_rounds();
  round.set_round_id("r1");
  *round.mutable_submission_start_time() = At(now_);
  *round.mutable_submission_end_time() = At(now_ - absl::Hours(1));
  *round.mutable_voting_end_time() = At(now_ + absl::Hours(1));
  absl::Status status =
      CreateContest(*context_, Staff("camille"), request).status();
  EXPECT_TRUE(absl::StartsWith(status.message(), "contest.rules_uri"))
      << status;
  contest.set_rules_uri("https://banque.example/reglement");
  status = CreateContest(*context_, Staff("camille"), request).status();
  EXPECT_TRUE(absl::StartsWith(status.message(),
                               "contest.rounds[0].submission_end_time"))
      << status;
  *round.mutable_submission_end_time() = At(now_ + absl::Hours(1));
  contest.set_space(SpaceName("forum"));
  status = CreateContest(*context_, Staff("camille"), request).status();
  EXPECT_TRUE(absl::StartsWith(status.message(), "contest.space")) << status;
  contest.set_space(SpaceName("concours"));
  EXPECT_EQ(CreateContest(*context_, Member("alice"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CreateContest(*context_, Staff("camille"), request).ok());
}

TEST_F(CatalogTest, EntriesGoToAnOpenRoundWithMediaOnAllowedHosts) {
  MakeSpace("concours", v1::SPACE_KIND_CONTESTS);
  const v1::Contest contest = MakeContest("photo");
  const std::string week1 = contest.rounds(0).name();
  const std::string week2 = contest.rounds(1).name();
  EXPECT_EQ(contest.rounds(0).phase(), v1::Round::PHASE_SUBMISSIONS_OPEN);
  EXPECT_EQ(contest.rounds(1).phase(), v1::Round::PHASE_UPCOMING);

  ASSERT_TRUE(Enter("alice", week1).ok());
  absl::Status upcoming = Enter("bruno", week2).status();
  EXPECT_EQ(status::ReasonOf(upcoming), "ROUND_NOT_OPEN") << upcoming;
  absl::Status host =
      Enter("bruno", week1, "https://images.example/photo.jpg").status();
  EXPECT_EQ(status::ReasonOf(host), "HOST_NOT_ALLOWED") << host;
  EXPECT_TRUE(absl::StartsWith(host.message(), "post.contest_entry.image_uri"));
  EXPECT_EQ(
      Enter("bruno", week1, "http://cdn.example/photo.jpg").status().code(),
      absl::StatusCode::kInvalidArgument);
  v1::UpdateContentSettingsRequest hosts;
  hosts.mutable_content_settings()->set_name(
      absl::StrCat("tenants/", tenant_, "/contentSettings"));
  hosts.mutable_content_settings()->add_allowed_media_hosts("*.cdn.example");
  hosts.mutable_update_mask()->add_paths("allowed_media_hosts");
  ASSERT_TRUE(UpdateContentSettings(*context_, Admin(), hosts).ok());
  EXPECT_TRUE(Enter("bruno", week1, "https://img.cdn.example/photo.jpg").ok());
  // After the submission window, no more entries.
  now_ += absl::Hours(24 * 5);
  EXPECT_EQ(status::ReasonOf(Enter("bruno", week1).status()), "ROUND_NOT_OPEN");
  // A draft contest is invisible to members and takes no entries.
  const v1::Contest draft = MakeContest("brouillon", v1::Contest::STATE_DRAFT);
  v1::GetContestRequest get;
  get.set_name(draft.name());
  const auth::Principal alice = Member("alice");
  EXPECT_EQ(GetContest(*context_, &alice, get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, WinnersWaitForFinalistsFromRanking) {
  MakeSpace("concours", v1::SPACE_KIND_CONTESTS);
  v1::Contest contest = MakeContest("photo");
  absl::StatusOr<v1::Post> entry = Enter("alice", contest.rounds(0).name());
  ASSERT_TRUE(entry.ok()) << entry.status();
  // Voting of week 1 ends; without ranking the finalists cannot be frozen,
  // so the jury cannot decide yet (and nothing is half-written).
  now_ += absl::Hours(24 * 6 + 2);
  v1::SelectContestWinnersRequest select;
  select.set_name(contest.rounds(0).name());
  v1::WinnerSelection& winner = *select.add_winners();
  winner.set_entry(entry->name());
  winner.set_rank(1);
  EXPECT_EQ(
      SelectContestWinners(*context_, Member("alice"), select).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(SelectContestWinners(
                *context_, WithRole(Member("jury1"), auth::kRoleJury), select)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace agora::content
