// Full-text search and similar-post suggestions on the real PostgreSQL
// index (migration 0003), with posts created through the real screening:
// stemming per language (French, Dutch, Italian), Polish without accents,
// phrases and exclusions, only published posts of the caller's tenant,
// every filter, paging, snippets whose highlights are code-point spans, and
// trigram suggestions above the threshold only.
#include "services/content/domain/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/match.h"
#include "libs/api/paging.h"
#include "services/content/domain/answers.h"
#include "services/content/domain/ideas.h"
#include "services/content/domain/post_writes.h"
#include "services/content/domain/similar_posts.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

// The code points [start, start + length) of UTF-8 `text`, as UTF-8.
std::string CodePointSlice(const std::string& text, int start, int length) {
  std::vector<size_t> offsets;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      offsets.push_back(i);
    }
  }
  offsets.push_back(text.size());
  if (start < 0 || length < 1 || size_t(start + length) >= offsets.size()) {
    return "<out of range>";
  }
  return text.substr(offsets[start], offsets[start + length] - offsets[start]);
}

int CodePoints(const std::string& text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

class SearchTest : public ContentTest {
 protected:
  void SetUp() override {
    ContentTest::SetUp();
    // French by default; posts may also be written in these.
    AnnounceTenant(tenant_, "fr", {"fr", "en", "nl", "it", "pl"});
    MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
    MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
    MakeCategory("idees", "cartes");
    MakeCategory("idees", "epargne");
    AnnounceMember("alice", "Alice Martin");
    AnnounceMember("bruno", "Bruno");
  }

  v1::Post Post(const auth::Principal& author, v1::Post post) {
    absl::StatusOr<v1::Post> created = Create(author, std::move(post));
    EXPECT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created.value_or(v1::Post()).state(),
              common::POST_STATE_PUBLISHED);
    return created.value_or(v1::Post());
  }

  v1::Post Ask(const std::string& title, const std::string& body,
               const std::string& language = "",
               std::vector<std::string> tags = {},
               const std::string& author = "alice") {
    v1::Post post = Question(SpaceName("questions"), title, body);
    post.set_language(language);
    for (const std::string& tag : tags) post.add_tags(tag);
    return Post(Member(author), std::move(post));
  }

  v1::Post Idea(const std::string& title, const std::string& body,
                const std::string& category = "",
                const std::string& author = "alice") {
    v1::Post post;
    post.set_kind(common::CONTENT_KIND_IDEA);
    post.set_space(SpaceName("idees"));
    if (!category.empty()) {
      post.set_category(SpaceName("idees") + "/categories/" + category);
    }
    post.set_title(title);
    post.set_body(body);
    return Post(Member(author), std::move(post));
  }

  absl::StatusOr<v1::SearchPostsResponse> Search(
      const std::string& query,
      const std::function<void(v1::SearchPostsRequest&)>& configure = {},
      const auth::Principal* caller = nullptr) {
    v1::SearchPostsRequest request;
    request.set_parent("tenants/" + tenant_);
    request.set_query(query);
    if (configure) configure(request);
    return SearchPosts(*context_, caller, request);
  }

  // Titles of the hits, in order.
  std::vector<std::string> Titles(
      const std::string& query,
      const std::function<void(v1::SearchPostsRequest&)>& configure = {}) {
    absl::StatusOr<v1::SearchPostsResponse> response = Search(query, configure);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> titles;
    for (const v1::SearchResult& result : response->results()) {
      titles.push_back(result.post().title());
    }
    return titles;
  }

  // The message of an INVALID_ARGUMENT (anything else fails the test).
  std::string InvalidField(
      const std::function<void(v1::SearchPostsRequest&)>& configure,
      const std::string& query = "carte") {
    absl::Status status = Search(query, configure).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    return std::string(status.message());
  }

  absl::StatusOr<v1::ListSimilarPostsResponse> Similar(
      common::ContentKind kind, const std::string& title,
      const std::string& body = "",
      const std::function<void(v1::ListSimilarPostsRequest&)>& configure = {}) {
    v1::ListSimilarPostsRequest request;
    request.set_parent("tenants/" + tenant_);
    request.set_kind(kind);
    request.set_title(title);
    request.set_body(body);
    if (configure) configure(request);
    return ListSimilarPosts(*context_, nullptr, request);
  }
};

using Hits = std::vector<std::string>;

TEST_F(SearchTest, FrenchStemmingFindsOtherFormsOfTheWord) {
  Ask("Plafond des cartes bancaires", "Comment relever le plafond ?");
  Ask("Livret A", "Je voudrais épargner davantage chaque mois.");
  Ask("Prêt immobilier", "Quel taux pour un prêt sur vingt ans ?");

  EXPECT_EQ(Titles("carte"), Hits{"Plafond des cartes bancaires"});
  EXPECT_EQ(Titles("Cartes bancaire"), Hits{"Plafond des cartes bancaires"});
  EXPECT_EQ(Titles("épargne"), Hits{"Livret A"});
  EXPECT_EQ(Titles("voiture"), Hits{});
  absl::StatusOr<v1::SearchPostsResponse> response = Search("prêts");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->results_size(), 1);
  EXPECT_EQ(response->total_size(), 1);
  EXPECT_GT(response->results(0).relevance(), 0);
  EXPECT_TRUE(response->next_page_token().empty());
}

TEST_F(SearchTest, DutchAndItalianPostsAreStemmedInTheirLanguage) {
  Ask("Hoe open ik een spaarrekening?", "Ik zoek de beste rente.", "nl");
  Ask("Le carte di credito", "Quale banca offre la migliore?", "it");

  EXPECT_EQ(Titles("spaarrekeningen", [](auto& r) { r.set_language("nl"); }),
            Hits{"Hoe open ik een spaarrekening?"});
  EXPECT_EQ(Titles("carta", [](auto& r) { r.set_language("it"); }),
            Hits{"Le carte di credito"});
  // A regional tag picks the same stemmer.
  EXPECT_EQ(Titles("renten", [](auto& r) { r.set_language("nl-BE"); }),
            Hits{"Hoe open ik een spaarrekening?"});
}

TEST_F(SearchTest, PolishMatchesWithAndWithoutDiacritics) {
  AnnounceTenant(tenant_, "pl", {"pl", "en"});
  Ask("Zażółć gęślą jaźń", "Pytanie o kartę kredytową w Łodzi.", "pl");

  for (const char* query : {"zażółć", "zazolc", "ZAŻÓŁĆ", "lodzi", "Łodzi"}) {
    EXPECT_EQ(Titles(query), Hits{"Zażółć gęślą jaźń"}) << query;
  }
  // No stemmer: another form of the word is another word.
  EXPECT_EQ(Titles("karta"), Hits{});
}

TEST_F(SearchTest, PhrasesAndExclusions) {
  Ask("Carte bancaire perdue", "Que faire ce soir ?");
  Ask("Ma carte est-elle bancaire", "Je ne sais pas.");
  Ask("Carte de crédit", "Plafond trop bas.");
  Ask("Carte de débit", "Plafond trop bas aussi.");

  EXPECT_EQ(Titles("\"carte bancaire\""), Hits{"Carte bancaire perdue"});
  std::vector<std::string> without_credit = Titles("plafond -crédit");
  EXPECT_EQ(without_credit, Hits{"Carte de débit"});
  std::vector<std::string> both = Titles("carte bancaire");
  EXPECT_EQ(std::set<std::string>(both.begin(), both.end()),
            (std::set<std::string>{"Carte bancaire perdue",
                                   "Ma carte est-elle bancaire"}));
  // The phrase scores higher where the words are together.
  EXPECT_EQ(both.front(), "Carte bancaire perdue");
}

TEST_F(SearchTest, TitlesWeighMoreThanTagsAndTagsMoreThanBodies) {
  Ask("Une question", "Rien sur le sujet, sauf le mot virement à la fin.");
  Ask("Autre question", "Sans le mot.", "", {"virement"});
  Ask("Virement bloqué", "Depuis hier.");
  EXPECT_EQ(Titles("virement"),
            (Hits{"Virement bloqué", "Autre question", "Une question"}));
}

TEST_F(SearchTest, OnlyPublishedPostsAreFound) {
  const v1::Post kept = Ask("Carte perdue", "Que faire ?");
  const v1::Post deleted = Ask("Carte volée", "Que faire vite ?");
  v1::DeletePostRequest remove;
  remove.set_name(deleted.name());
  ASSERT_TRUE(DeletePost(*context_, Member("alice"), remove).ok());
  // Even its author and a moderator only find published posts.
  const auth::Principal alice = Member("alice");
  const auth::Principal moderator = Moderator("mod");
  for (const auth::Principal* caller :
       {static_cast<const auth::Principal*>(nullptr), &alice, &moderator}) {
    absl::StatusOr<v1::SearchPostsResponse> response =
        Search("carte", {}, caller);
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_EQ(response->results_size(), 1);
    EXPECT_EQ(response->results(0).post().name(), kept.name());
    EXPECT_EQ(response->total_size(), 1);
  }
}

TEST_F(SearchTest, NeverFindsAnotherTenantsPosts) {
  Ask("Carte bloquée chez nous", "Texte.");
  const std::string home = tenant_;
  tenant_ = "t" + testing::RandomName(8);
  AnnounceTenant(tenant_, "fr", {"fr"});
  MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
  AnnounceMember("alice", "Alice d'ailleurs");
  Ask("Carte bloquée ailleurs", "Texte.");
  EXPECT_EQ(Titles("carte"), Hits{"Carte bloquée ailleurs"});
  tenant_ = home;
  EXPECT_EQ(Titles("carte"), Hits{"Carte bloquée chez nous"});
  // Filters naming the other tenant are refused, not silently applied.
  EXPECT_TRUE(absl::StartsWith(InvalidField([&](auto& r) {
                                 r.set_space("tenants/" + home +
                                             "x/spaces/questions");
                               }),
                               "space"));
}

TEST_F(SearchTest, FiltersNarrowTheHits) {
  AnnounceMember("carla", "Carla");
  const absl::Time start = now_;
  const v1::Post asked = Ask("Carte et plafond", "Question sur la carte.", "",
                             {"carte", "plafond"});
  now_ += absl::Hours(2);
  const v1::Post tagged_once =
      Ask("Carte sans plafond", "Encore la carte.", "", {"carte"}, "bruno");
  const v1::Post idea_cards =
      Idea("Carte en bois", "Une carte écologique.", "cartes", "carla");
  const v1::Post idea_savings =
      Idea("Carte d'épargne", "Une carte pour épargner.", "epargne");
  now_ += absl::Hours(2);
  // Bruno's question gets an accepted answer.
  absl::StatusOr<v1::Post> answer =
      Create(Member("alice"),
             Reply(common::CONTENT_KIND_ANSWER, tagged_once.name(), "Voici."));
  ASSERT_TRUE(answer.ok()) << answer.status();
  v1::AcceptAnswerRequest accept;
  accept.set_name(tagged_once.name());
  accept.set_answer(answer->name());
  ASSERT_TRUE(AcceptAnswer(*context_, Member("bruno"), accept).ok());
  // The savings idea is planned.
  v1::UpdateIdeaStatusRequest planned;
  planned.set_name(idea_savings.name());
  planned.set_status(common::IDEA_STATUS_UNDER_REVIEW);
  planned.mutable_official_response()->set_body("Nous étudions l'idée.");
  ASSERT_TRUE(UpdateIdeaStatus(*context_, Staff("staff"), planned).ok());

  const auto sorted = [](std::vector<std::string> titles) {
    std::sort(titles.begin(), titles.end());
    return titles;
  };
  EXPECT_EQ(
      sorted(Titles("carte",
                    [](auto& r) { r.add_kinds(common::CONTENT_KIND_IDEA); })),
      (Hits{"Carte d'épargne", "Carte en bois"}));
  EXPECT_EQ(
      sorted(Titles("carte",
                    [&](auto& r) { r.set_space(SpaceName("questions")); })),
      (Hits{"Carte et plafond", "Carte sans plafond"}));
  EXPECT_EQ(Titles("carte",
                   [&](auto& r) {
                     r.set_category(SpaceName("idees") + "/categories/cartes");
                   }),
            Hits{"Carte en bois"});
  EXPECT_EQ(Titles("carte",
                   [](auto& r) {
                     r.add_tags("carte");
                     r.add_tags("plafond");
                   }),
            Hits{"Carte et plafond"});
  EXPECT_EQ(Titles("carte",
                   [](auto& r) {
                     r.add_idea_statuses(common::IDEA_STATUS_UNDER_REVIEW);
                   }),
            Hits{"Carte d'épargne"});
  EXPECT_EQ(Titles("carte",
                   [&](auto& r) {
                     r.set_author("tenants/" + tenant_ + "/members/bruno");
                   }),
            Hits{"Carte sans plafond"});
  // "me" is the signed-in caller.
  v1::SearchPostsRequest mine;
  mine.set_parent("tenants/" + tenant_);
  mine.set_query("carte");
  mine.set_author("tenants/" + tenant_ + "/members/me");
  const auth::Principal carla = Member("carla");
  absl::StatusOr<v1::SearchPostsResponse> own =
      SearchPosts(*context_, &carla, mine);
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_EQ(own->results_size(), 1);
  EXPECT_EQ(own->results(0).post().name(), idea_cards.name());
  EXPECT_FALSE(SearchPosts(*context_, nullptr, mine).ok());

  EXPECT_EQ(Titles("carte",
                   [&](auto& r) {
                     *r.mutable_create_time_range()->mutable_end_time() =
                         TimeUtil::MicrosecondsToTimestamp(
                             absl::ToUnixMicros(start + absl::Hours(1)));
                   }),
            Hits{"Carte et plafond"});
  EXPECT_EQ(
      sorted(Titles("carte",
                    [&](auto& r) {
                      *r.mutable_create_time_range()->mutable_start_time() =
                          TimeUtil::MicrosecondsToTimestamp(
                              absl::ToUnixMicros(start + absl::Hours(1)));
                    })),
      (Hits{"Carte d'épargne", "Carte en bois", "Carte sans plafond"}));
  EXPECT_EQ(Titles("carte", [](auto& r) { r.set_unanswered_only(true); }),
            Hits{"Carte et plafond"});
  (void)asked;
}

TEST_F(SearchTest, SnippetHighlightsAreCodePointSpansOfTheMatches) {
  Ask("Épargne",
      "Réglementée ou pas, l'épargne rapporte. Épargner à l'État : "
      "les livrets d'épargne sont sûrs.");
  absl::StatusOr<v1::SearchPostsResponse> response = Search("épargnes");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->results_size(), 1);
  const v1::SearchResult& result = response->results(0);
  EXPECT_FALSE(absl::StrContains(result.snippet(), kHighlightStart));
  EXPECT_FALSE(absl::StrContains(result.snippet(), kHighlightStop));
  EXPECT_TRUE(absl::StartsWith(result.snippet(), "Réglementée ou pas, l'"))
      << result.snippet();
  std::vector<std::string> marked;
  for (const v1::TextSpan& span : result.highlights()) {
    marked.push_back(
        CodePointSlice(result.snippet(), span.start(), span.length()));
  }
  EXPECT_EQ(marked,
            (std::vector<std::string>{"épargne", "Épargner", "épargne"}))
      << result.snippet();
  // "Réglementée ou pas, l'" is 22 code points (24 bytes).
  ASSERT_GE(result.highlights_size(), 1);
  EXPECT_EQ(result.highlights(0).start(), 22);
  EXPECT_EQ(result.highlights(0).length(), 7);
}

TEST_F(SearchTest, SnippetsAreCleanedAndCut) {
  const std::string start = kHighlightStart;
  const std::string stop = kHighlightStop;
  Snippet snippet = SnippetOf("  Ça\n\n va ? " + start + "Très" + stop +
                              " bien" + start + stop + " !  ");
  EXPECT_EQ(snippet.text, "Ça va ? Très bien !");
  ASSERT_EQ(snippet.highlights.size(), 1u);
  EXPECT_EQ(snippet.highlights[0].start(), 8);
  EXPECT_EQ(snippet.highlights[0].length(), 4);

  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "é" + start + "àé" + stop + " ";
  snippet = SnippetOf(long_text, 300);
  EXPECT_EQ(CodePoints(snippet.text), 300);
  EXPECT_TRUE(absl::EndsWith(snippet.text, "…"));
  for (const v1::TextSpan& span : snippet.highlights) {
    EXPECT_LE(span.start() + span.length(), 299);
    EXPECT_EQ(
        CodePointSlice(snippet.text, span.start(), span.length()).substr(0, 2),
        "à");
  }
  EXPECT_EQ(snippet.highlights.size(), 75u);  // 4 code points per item
}

TEST_F(SearchTest, PagesCoverEveryHitOnce) {
  AnnounceMember("carla", "Carla");
  for (int i = 0; i < 23; ++i) {
    Ask(absl::StrCat("Virement numéro ", i), "Un virement de plus.", "", {},
        i % 2 == 0 ? "bruno" : "carla");
  }
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<v1::SearchPostsResponse> page =
        Search("virement", [&](auto& r) {
          r.set_page_size(10);
          r.set_page_token(token);
        });
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), 23);
    for (const v1::SearchResult& result : page->results()) {
      EXPECT_TRUE(seen.insert(result.post().name()).second);
    }
    token = page->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 23u);
  // Default 20; at most 50.
  EXPECT_EQ(Search("virement")->results_size(), 20);
  EXPECT_EQ(
      Search("virement", [](auto& r) { r.set_page_size(500); })->results_size(),
      23);
}

TEST_F(SearchTest, PastFiveThousandMatchesOnlyTheNewestAreRanked) {
  // Rows written directly: 5,100 through the screening would take minutes.
  absl::Status status =
      pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        tx.exec_params(
            "INSERT INTO posts (tenant, id, kind, thread_root, author, title,"
            " body, language, state, revision_id, create_time, update_time,"
            " last_activity_time) SELECT $1, 'bulk' || i, 1, 'bulk' || i,"
            " 'bruno', 'Question ' || i, 'Un virement de plus.', 'fr', 2,"
            " 'r', now() - i * interval '1 second', now(), now()"
            " FROM generate_series(1, 5100) i",
            tenant_);
        // The best match by far, but older than the 5,000 newest.
        tx.exec_params(
            "INSERT INTO posts (tenant, id, kind, thread_root, author, title,"
            " body, language, state, revision_id, create_time, update_time,"
            " last_activity_time) VALUES ($1, 'old', 1, 'old', 'bruno',"
            " 'Virement virement', 'Virement.', 'fr', 2, 'r',"
            " now() - interval '1 year', now(), now())",
            tenant_);
        return absl::OkStatus();
      });
  ASSERT_TRUE(status.ok()) << status;
  absl::StatusOr<v1::SearchPostsResponse> first = Search("virement");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->total_size(), 5101);  // every match is counted
  ASSERT_EQ(first->results_size(), 20);
  for (const v1::SearchResult& result : first->results()) {
    EXPECT_NE(result.post().title(), "Virement virement");
  }
  // The last ranked page says so.
  absl::StatusOr<v1::SearchPostsResponse> last =
      Search("virement", [](auto& r) {
        r.set_page_size(50);
        r.set_page_token(api::EncodePageToken("4950"));
      });
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->results_size(), 50);
  EXPECT_TRUE(last->next_page_token().empty());
  // A narrower query ranks it first.
  absl::StatusOr<v1::SearchPostsResponse> narrow =
      Search("virement", [](auto& r) {
        r.mutable_create_time_range()->mutable_end_time()->set_seconds(
            absl::ToUnixSeconds(absl::Now() - absl::Hours(24 * 300)));
      });
  ASSERT_TRUE(narrow.ok()) << narrow.status();
  ASSERT_EQ(narrow->results_size(), 1);
  EXPECT_EQ(narrow->results(0).post().title(), "Virement virement");
}

TEST_F(SearchTest, BadRequestsNameTheField) {
  EXPECT_TRUE(absl::StartsWith(InvalidField({}, ""), "query"));
  EXPECT_TRUE(absl::StartsWith(InvalidField({}, "   "), "query"));
  EXPECT_TRUE(
      absl::StartsWith(InvalidField({}, std::string(201, 'a')), "query"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.set_parent("tenant/x"); }), "parent"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.set_language("not a tag"); }), "language"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.set_page_size(-1); }), "page_size"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.set_page_token("garbage"); }),
      "page_token"));
  EXPECT_TRUE(absl::StartsWith(InvalidField([](auto& r) {
                                 r.add_kinds(common::CONTENT_KIND_UNSPECIFIED);
                               }),
                               "kinds"));
  EXPECT_TRUE(absl::StartsWith(InvalidField([](auto& r) {
                                 for (int i = 0; i < 6; ++i) r.add_tags("a");
                               }),
                               "tags"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.add_tags("Pas Un Tag"); }), "tags[0]"));
  EXPECT_TRUE(absl::StartsWith(InvalidField([](auto& r) {
                                 r.add_idea_statuses(
                                     common::IDEA_STATUS_UNSPECIFIED);
                               }),
                               "idea_statuses"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.set_space("spaces/questions"); }), "space"));
  EXPECT_TRUE(absl::StartsWith(InvalidField([&](auto& r) {
                                 r.set_space(SpaceName("questions"));
                                 r.set_category(SpaceName("idees") +
                                                "/categories/cartes");
                               }),
                               "category"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) { r.set_author("tenants/x/members/y"); }),
      "author"));
  EXPECT_TRUE(absl::StartsWith(
      InvalidField([](auto& r) {
        r.mutable_create_time_range()->mutable_start_time()->set_seconds(2000);
        r.mutable_create_time_range()->mutable_end_time()->set_seconds(1000);
      }),
      "create_time_range"));
  EXPECT_EQ(Search("carte", [](auto& r) { r.set_parent("tenants/nobody"); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // Words only made of operators or stop words find nothing, without error.
  absl::StatusOr<v1::SearchPostsResponse> empty = Search("\"\" - !");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->results_size(), 0);
}

TEST_F(SearchTest, SimilarDraftsFindPostsAboveTheThresholdOnly) {
  const v1::Post close =
      Ask("Comment augmenter le plafond de ma carte bancaire ?",
          "Je voudrais payer plus en magasin.");
  Ask("Ouvrir un compte joint", "Avec mon conjoint.");
  Idea("Augmenter le plafond de la carte bancaire", "Pour tous.", "cartes");

  absl::StatusOr<v1::ListSimilarPostsResponse> similar = Similar(
      common::CONTENT_KIND_QUESTION, "Augmenter le plafond de ma carte");
  ASSERT_TRUE(similar.ok()) << similar.status();
  // The idea has the same words, but a question draft is compared with
  // questions only.
  ASSERT_EQ(similar->similar_posts_size(), 1);
  EXPECT_EQ(similar->similar_posts(0).post().name(), close.name());
  EXPECT_GE(similar->similar_posts(0).similarity(), kSimilarityThreshold);
  EXPECT_LE(similar->similar_posts(0).similarity(), 1.0);

  // Case and accents do not matter.
  const v1::Post blocked = Ask("Carte bloquée à l'étranger", "En vacances.");
  similar =
      Similar(common::CONTENT_KIND_QUESTION, "CARTE BLOQUEE A L'ETRANGER");
  ASSERT_TRUE(similar.ok()) << similar.status();
  ASSERT_GE(similar->similar_posts_size(), 1);
  EXPECT_EQ(similar->similar_posts(0).post().name(), blocked.name());
  EXPECT_NEAR(similar->similar_posts(0).similarity(), 1.0, 1e-6);

  // Unrelated drafts get nothing.
  similar = Similar(common::CONTENT_KIND_QUESTION, "Taux du prêt immobilier");
  ASSERT_TRUE(similar.ok()) << similar.status();
  EXPECT_EQ(similar->similar_posts_size(), 0);
}

TEST_F(SearchTest, SimilarDraftsUseTheStartOfTheBody) {
  const v1::Post post = Ask("Question sur les virements",
                            "Mon virement SEPA vers l'Allemagne est bloqué "
                            "depuis trois jours.");
  absl::StatusOr<v1::ListSimilarPostsResponse> title_only =
      Similar(common::CONTENT_KIND_QUESTION, "Virement bloqué");
  ASSERT_TRUE(title_only.ok()) << title_only.status();
  EXPECT_EQ(title_only->similar_posts_size(), 0);
  absl::StatusOr<v1::ListSimilarPostsResponse> with_body =
      Similar(common::CONTENT_KIND_QUESTION, "Virement bloqué",
              "Mon virement SEPA vers l'Allemagne est bloqué depuis hier.");
  ASSERT_TRUE(with_body.ok()) << with_body.status();
  ASSERT_EQ(with_body->similar_posts_size(), 1);
  EXPECT_EQ(with_body->similar_posts(0).post().name(), post.name());
  // A body longer than 2,000 characters is cut, not refused.
  EXPECT_TRUE(Similar(common::CONTENT_KIND_QUESTION, "Virement bloqué",
                      std::string(5000, 'e'))
                  .ok());
}

TEST_F(SearchTest, SimilarPostsArePagedMostSimilarFirstAndFiltered) {
  AnnounceMember("carla", "Carla");
  MakeSpace("forum", v1::SPACE_KIND_FORUM);
  for (int i = 0; i < 12; ++i) {
    Ask(absl::StrCat("Frais de tenue de compte ", std::string(i, 'x')), "Texte",
        "", {}, i % 2 == 0 ? "bruno" : "carla");
  }
  v1::Post in_forum =
      Question(SpaceName("forum"), "Frais de tenue de compte", "Dans le forum");
  const v1::Post forum = Post(Member("alice"), in_forum);

  std::vector<double> similarities;
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListSimilarPostsResponse> page =
        Similar(common::CONTENT_KIND_QUESTION, "Frais de tenue de compte", "",
                [&](auto& r) { r.set_page_token(token); });
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->similar_posts_size(), 5);  // the default page
    for (const v1::SimilarPost& similar : page->similar_posts()) {
      similarities.push_back(similar.similarity());
      EXPECT_TRUE(seen.insert(similar.post().name()).second);
    }
    token = page->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_TRUE(std::is_sorted(similarities.rbegin(), similarities.rend()));
  EXPECT_TRUE(seen.contains(forum.name()));
  // The exact title first.
  ASSERT_FALSE(similarities.empty());
  EXPECT_NEAR(similarities.front(), 1.0, 1e-6);
  EXPECT_GE(similarities.back(), kSimilarityThreshold);

  absl::StatusOr<v1::ListSimilarPostsResponse> at_most_ten =
      Similar(common::CONTENT_KIND_QUESTION, "Frais de tenue de compte", "",
              [](auto& r) { r.set_page_size(50); });
  ASSERT_TRUE(at_most_ten.ok());
  EXPECT_EQ(at_most_ten->similar_posts_size(), 10);

  absl::StatusOr<v1::ListSimilarPostsResponse> forum_only =
      Similar(common::CONTENT_KIND_QUESTION, "Frais de tenue de compte", "",
              [&](auto& r) { r.set_space(SpaceName("forum")); });
  ASSERT_TRUE(forum_only.ok());
  ASSERT_EQ(forum_only->similar_posts_size(), 1);
  EXPECT_EQ(forum_only->similar_posts(0).post().name(), forum.name());
}

TEST_F(SearchTest, SimilarPostsRefuseBadDrafts) {
  const auto field = [&](absl::StatusOr<v1::ListSimilarPostsResponse> r) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
        << r.status();
    return std::string(r.status().message());
  };
  EXPECT_TRUE(absl::StartsWith(
      field(Similar(common::CONTENT_KIND_ANSWER, "Une réponse")), "kind"));
  EXPECT_TRUE(absl::StartsWith(
      field(Similar(common::CONTENT_KIND_QUESTION, "Ab")), "title"));
  EXPECT_TRUE(absl::StartsWith(
      field(Similar(common::CONTENT_KIND_IDEA, std::string(201, 'a'))),
      "title"));
  EXPECT_TRUE(absl::StartsWith(
      field(Similar(common::CONTENT_KIND_IDEA, "Une idée", "",
                    [](auto& r) { r.set_space("tenants/x/spaces/y"); })),
      "space"));
  EXPECT_TRUE(
      absl::StartsWith(field(Similar(common::CONTENT_KIND_IDEA, "Une idée", "",
                                     [](auto& r) { r.set_page_size(-3); })),
                       "page_size"));
}

}  // namespace
}  // namespace agora::content
