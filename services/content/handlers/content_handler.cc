#include "services/content/handlers/content_handler.h"

#include "libs/api/serve.h"
#include "services/content/domain/answers.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/contests.h"
#include "services/content/domain/figures.h"
#include "services/content/domain/follows.h"
#include "services/content/domain/ideas.h"
#include "services/content/domain/member_export.h"
#include "services/content/domain/notifications.h"
#include "services/content/domain/post_reads.h"
#include "services/content/domain/post_writes.h"
#include "services/content/domain/products.h"
#include "services/content/domain/search.h"
#include "services/content/domain/similar_posts.h"
#include "services/content/domain/spaces.h"

namespace agora::content {

ContentHandler::ContentHandler(ContentContext& context,
                               const auth::JwtVerifier& verifier)
    : context_(context), verifier_(verifier) {}

// A method that needs a signed-in caller: domain(context, principal, request).
#define AGORA_SIGNED_IN(Method, Request, Response)                          \
  grpc::Status ContentHandler::Method(grpc::ServerContext* call,            \
                                      const v1::Request* request,           \
                                      Response* response) {                 \
    return api::Serve("content", call, verifier_, response,                 \
                      [&](const auth::Principal& caller) {                  \
                        return content::Method(context_, caller, *request); \
                      });                                                   \
  }

// A method anonymous callers may call: domain(context, principal*, request).
#define AGORA_PUBLIC(Method, Request, Response)                          \
  grpc::Status ContentHandler::Method(grpc::ServerContext* call,         \
                                      const v1::Request* request,        \
                                      Response* response) {              \
    return api::ServeOptional("content", call, verifier_, response,      \
                              [&](const auth::Principal* caller) {       \
                                return content::Method(context_, caller, \
                                                       *request);        \
                              });                                        \
  }

grpc::Status ContentHandler::GetContentSettings(
    grpc::ServerContext* call, const v1::GetContentSettingsRequest* request,
    v1::ContentSettings* response) {
  return api::ServeOptional(
      "content", call, verifier_, response, [&](const auth::Principal*) {
        return content::GetContentSettings(context_, *request);
      });
}

AGORA_SIGNED_IN(UpdateContentSettings, UpdateContentSettingsRequest,
                v1::ContentSettings)
AGORA_SIGNED_IN(CreateSpace, CreateSpaceRequest, v1::Space)
AGORA_PUBLIC(GetSpace, GetSpaceRequest, v1::Space)
AGORA_PUBLIC(ListSpaces, ListSpacesRequest, v1::ListSpacesResponse)
AGORA_SIGNED_IN(UpdateSpace, UpdateSpaceRequest, v1::Space)
AGORA_SIGNED_IN(DeleteSpace, DeleteSpaceRequest, google::protobuf::Empty)
AGORA_SIGNED_IN(CreateCategory, CreateCategoryRequest, v1::Category)
AGORA_PUBLIC(GetCategory, GetCategoryRequest, v1::Category)
AGORA_PUBLIC(ListCategories, ListCategoriesRequest, v1::ListCategoriesResponse)
AGORA_SIGNED_IN(UpdateCategory, UpdateCategoryRequest, v1::Category)
AGORA_SIGNED_IN(DeleteCategory, DeleteCategoryRequest, google::protobuf::Empty)
AGORA_SIGNED_IN(CreatePost, CreatePostRequest, v1::Post)
AGORA_PUBLIC(GetPost, GetPostRequest, v1::Post)
AGORA_PUBLIC(BatchGetPosts, BatchGetPostsRequest, v1::BatchGetPostsResponse)
AGORA_PUBLIC(ListPosts, ListPostsRequest, v1::ListPostsResponse)
AGORA_SIGNED_IN(UpdatePost, UpdatePostRequest, v1::Post)
AGORA_SIGNED_IN(DeletePost, DeletePostRequest, v1::Post)
AGORA_PUBLIC(ListPostRevisions, ListPostRevisionsRequest,
             v1::ListPostRevisionsResponse)
AGORA_SIGNED_IN(AcceptAnswer, AcceptAnswerRequest, v1::Post)
AGORA_SIGNED_IN(UpdateIdeaStatus, UpdateIdeaStatusRequest, v1::Post)
AGORA_PUBLIC(ListIdeaStatusHistory, ListIdeaStatusHistoryRequest,
             v1::ListIdeaStatusHistoryResponse)
AGORA_SIGNED_IN(MergeIdeas, MergeIdeasRequest, v1::Post)
AGORA_SIGNED_IN(CreateProduct, CreateProductRequest, v1::Product)
AGORA_PUBLIC(GetProduct, GetProductRequest, v1::Product)
AGORA_PUBLIC(ListProducts, ListProductsRequest, v1::ListProductsResponse)
AGORA_SIGNED_IN(UpdateProduct, UpdateProductRequest, v1::Product)
AGORA_SIGNED_IN(DeleteProduct, DeleteProductRequest, google::protobuf::Empty)
AGORA_SIGNED_IN(CreateContest, CreateContestRequest, v1::Contest)
AGORA_PUBLIC(GetContest, GetContestRequest, v1::Contest)
AGORA_PUBLIC(ListContests, ListContestsRequest, v1::ListContestsResponse)
AGORA_SIGNED_IN(UpdateContest, UpdateContestRequest, v1::Contest)
AGORA_SIGNED_IN(SelectContestWinners, SelectContestWinnersRequest, v1::Contest)
AGORA_SIGNED_IN(CreateFollow, CreateFollowRequest, v1::Follow)
AGORA_SIGNED_IN(ListFollows, ListFollowsRequest, v1::ListFollowsResponse)
AGORA_SIGNED_IN(DeleteFollow, DeleteFollowRequest, google::protobuf::Empty)
AGORA_SIGNED_IN(ListNotifications, ListNotificationsRequest,
                v1::ListNotificationsResponse)
AGORA_SIGNED_IN(CountUnreadNotifications, CountUnreadNotificationsRequest,
                v1::CountUnreadNotificationsResponse)
AGORA_SIGNED_IN(MarkNotificationsRead, MarkNotificationsReadRequest,
                v1::MarkNotificationsReadResponse)
AGORA_SIGNED_IN(GetNotificationPreferences, GetNotificationPreferencesRequest,
                v1::NotificationPreferences)
AGORA_SIGNED_IN(UpdateNotificationPreferences,
                UpdateNotificationPreferencesRequest,
                v1::NotificationPreferences)
AGORA_PUBLIC(SearchPosts, SearchPostsRequest, v1::SearchPostsResponse)
AGORA_PUBLIC(ListSimilarPosts, ListSimilarPostsRequest,
             v1::ListSimilarPostsResponse)
AGORA_PUBLIC(CountPosts, CountPostsRequest, v1::CountPostsResponse)
AGORA_PUBLIC(GetAccountabilityReport, GetAccountabilityReportRequest,
             v1::AccountabilityReport)
AGORA_SIGNED_IN(ExportMemberData, ExportMemberDataRequest,
                v1::MemberContentData)

#undef AGORA_SIGNED_IN
#undef AGORA_PUBLIC

}  // namespace agora::content
