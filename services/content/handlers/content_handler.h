// The gRPC surface of agora.content.v1: each method authenticates the
// caller (or lets an anonymous one through where the contract allows),
// calls the domain and maps its status. No logic here.
#ifndef AGORA_SERVICES_CONTENT_HANDLERS_CONTENT_HANDLER_H_
#define AGORA_SERVICES_CONTENT_HANDLERS_CONTENT_HANDLER_H_

#include "agora/content/v1/content.grpc.pb.h"
#include "libs/auth/jwt_verifier.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

class ContentHandler final : public v1::ContentService::Service {
 public:
  ContentHandler(ContentContext& context, const auth::JwtVerifier& verifier);

#define AGORA_CONTENT_RPC(Method, Request, Response)                  \
  grpc::Status Method(grpc::ServerContext* context,                   \
                      const v1::Request* request, Response* response) \
      override;
  AGORA_CONTENT_RPC(GetContentSettings, GetContentSettingsRequest,
                    v1::ContentSettings)
  AGORA_CONTENT_RPC(UpdateContentSettings, UpdateContentSettingsRequest,
                    v1::ContentSettings)
  AGORA_CONTENT_RPC(CreateSpace, CreateSpaceRequest, v1::Space)
  AGORA_CONTENT_RPC(GetSpace, GetSpaceRequest, v1::Space)
  AGORA_CONTENT_RPC(ListSpaces, ListSpacesRequest, v1::ListSpacesResponse)
  AGORA_CONTENT_RPC(UpdateSpace, UpdateSpaceRequest, v1::Space)
  AGORA_CONTENT_RPC(DeleteSpace, DeleteSpaceRequest, google::protobuf::Empty)
  AGORA_CONTENT_RPC(CreateCategory, CreateCategoryRequest, v1::Category)
  AGORA_CONTENT_RPC(GetCategory, GetCategoryRequest, v1::Category)
  AGORA_CONTENT_RPC(ListCategories, ListCategoriesRequest,
                    v1::ListCategoriesResponse)
  AGORA_CONTENT_RPC(UpdateCategory, UpdateCategoryRequest, v1::Category)
  AGORA_CONTENT_RPC(DeleteCategory, DeleteCategoryRequest,
                    google::protobuf::Empty)
  AGORA_CONTENT_RPC(CreatePost, CreatePostRequest, v1::Post)
  AGORA_CONTENT_RPC(GetPost, GetPostRequest, v1::Post)
  AGORA_CONTENT_RPC(BatchGetPosts, BatchGetPostsRequest,
                    v1::BatchGetPostsResponse)
  AGORA_CONTENT_RPC(ListPosts, ListPostsRequest, v1::ListPostsResponse)
  AGORA_CONTENT_RPC(UpdatePost, UpdatePostRequest, v1::Post)
  AGORA_CONTENT_RPC(DeletePost, DeletePostRequest, v1::Post)
  AGORA_CONTENT_RPC(ListPostRevisions, ListPostRevisionsRequest,
                    v1::ListPostRevisionsResponse)
  AGORA_CONTENT_RPC(AcceptAnswer, AcceptAnswerRequest, v1::Post)
  AGORA_CONTENT_RPC(UpdateIdeaStatus, UpdateIdeaStatusRequest, v1::Post)
  AGORA_CONTENT_RPC(ListIdeaStatusHistory, ListIdeaStatusHistoryRequest,
                    v1::ListIdeaStatusHistoryResponse)
  AGORA_CONTENT_RPC(MergeIdeas, MergeIdeasRequest, v1::Post)
  AGORA_CONTENT_RPC(CreateProduct, CreateProductRequest, v1::Product)
  AGORA_CONTENT_RPC(GetProduct, GetProductRequest, v1::Product)
  AGORA_CONTENT_RPC(ListProducts, ListProductsRequest, v1::ListProductsResponse)
  AGORA_CONTENT_RPC(UpdateProduct, UpdateProductRequest, v1::Product)
  AGORA_CONTENT_RPC(DeleteProduct, DeleteProductRequest,
                    google::protobuf::Empty)
  AGORA_CONTENT_RPC(CreateContest, CreateContestRequest, v1::Contest)
  AGORA_CONTENT_RPC(GetContest, GetContestRequest, v1::Contest)
  AGORA_CONTENT_RPC(ListContests, ListContestsRequest, v1::ListContestsResponse)
  AGORA_CONTENT_RPC(UpdateContest, UpdateContestRequest, v1::Contest)
  AGORA_CONTENT_RPC(SelectContestWinners, SelectContestWinnersRequest,
                    v1::Contest)
  AGORA_CONTENT_RPC(CreateFollow, CreateFollowRequest, v1::Follow)
  AGORA_CONTENT_RPC(ListFollows, ListFollowsRequest, v1::ListFollowsResponse)
  AGORA_CONTENT_RPC(DeleteFollow, DeleteFollowRequest, google::protobuf::Empty)
  AGORA_CONTENT_RPC(ListNotifications, ListNotificationsRequest,
                    v1::ListNotificationsResponse)
  AGORA_CONTENT_RPC(CountUnreadNotifications, CountUnreadNotificationsRequest,
                    v1::CountUnreadNotificationsResponse)
  AGORA_CONTENT_RPC(MarkNotificationsRead, MarkNotificationsReadRequest,
                    v1::MarkNotificationsReadResponse)
  AGORA_CONTENT_RPC(GetNotificationPreferences,
                    GetNotificationPreferencesRequest,
                    v1::NotificationPreferences)
  AGORA_CONTENT_RPC(UpdateNotificationPreferences,
                    UpdateNotificationPreferencesRequest,
                    v1::NotificationPreferences)
  AGORA_CONTENT_RPC(SearchPosts, SearchPostsRequest, v1::SearchPostsResponse)
  AGORA_CONTENT_RPC(ListSimilarPosts, ListSimilarPostsRequest,
                    v1::ListSimilarPostsResponse)
  AGORA_CONTENT_RPC(CountPosts, CountPostsRequest, v1::CountPostsResponse)
  AGORA_CONTENT_RPC(GetAccountabilityReport, GetAccountabilityReportRequest,
                    v1::AccountabilityReport)
  AGORA_CONTENT_RPC(ExportMemberData, ExportMemberDataRequest,
                    v1::MemberContentData)
#undef AGORA_CONTENT_RPC

 private:
  ContentContext& context_;
  const auth::JwtVerifier& verifier_;
};

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_HANDLERS_CONTENT_HANDLER_H_
