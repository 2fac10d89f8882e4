#include "services/share/domain/event_handlers.h"

#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_names.h"
#include "libs/logging/log.h"
#include "services/share/domain/post_view.h"
#include "services/share/repository/link_store.h"
#include "services/share/repository/post_store.h"
#include "services/share/repository/tenant_store.h"

namespace agora::share {
namespace {

using google::protobuf::util::TimeUtil;

// The id in `name` if it is a name of `collections` in `tenant`, else "".
std::string IdIn(const std::string& tenant, const std::string& name,
                 std::initializer_list<absl::string_view> collections) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName("name", name, collections);
  if (!parts.ok() || (*parts)[0] != tenant) return "";
  return (*parts)[1];
}

void Recache(ShareContext& context, const std::optional<PostRow>& post) {
  if (!post.has_value()) return;
  if (absl::Status cached = CachePost(context, *post); !cached.ok()) {
    logging::Warn("share: cached post not refreshed",
                  {{"post", post->id}, {"error", cached.ToString()}});
  }
}

}  // namespace

absl::Status ApplyIdentityEvent(ShareContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  switch (event.payload_case()) {
    case events::v1::Event::kTenantCreated:
      SaveTenantZone(tx, *tenant, event.tenant_created().time_zone());
      context.settings.Invalidate(*tenant);
      return absl::OkStatus();
    case events::v1::Event::kTenantUpdated:
      if (!event.tenant_updated().time_zone().empty()) {
        SaveTenantZone(tx, *tenant, event.tenant_updated().time_zone());
        context.settings.Invalidate(*tenant);
      }
      return absl::OkStatus();
    case events::v1::Event::kMemberErased: {
      const std::string member =
          IdIn(*tenant, event.member_erased().member(), {"tenants", "members"});
      if (member.empty()) return absl::OkStatus();
      // Figures stay (they are the post's); the links no longer say whose
      // they were. Posts lose their author; cached copies follow.
      EraseSharer(tx, *tenant, member);
      ForgetAuthor(tx, *tenant, member);
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ApplyContentEvent(ShareContext& context,
                               pqxx::transaction_base& tx,
                               const events::v1::Event& event) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  switch (event.payload_case()) {
    case events::v1::Event::kPostPublished: {
      const events::v1::PostPublished& published = event.post_published();
      PostRow post;
      post.tenant = *tenant;
      post.id = IdIn(*tenant, published.post().name(), {"tenants", "posts"});
      if (post.id.empty()) {
        return absl::InvalidArgumentError("post_published.post: bad name");
      }
      post.kind = published.post().kind();
      post.title = published.title();
      post.excerpt = published.excerpt();
      post.language = published.language();
      post.author = IdIn(*tenant, published.author(), {"tenants", "members"});
      if (!published.round().empty()) {
        absl::StatusOr<std::vector<std::string>> round = api::ParseName(
            "round", published.round(), {"tenants", "contests", "rounds"});
        if (round.ok() && (*round)[0] == *tenant) post.contest = (*round)[1];
      }
      post.publish_time =
          absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(
              published.has_publish_time() ? published.publish_time()
                                           : event.occur_time()));
      Recache(context, UpsertPublishedPost(tx, post));
      return absl::OkStatus();
    }
    case events::v1::Event::kPostUpdated: {
      const events::v1::PostUpdated& updated = event.post_updated();
      const std::string id =
          IdIn(*tenant, updated.post().name(), {"tenants", "posts"});
      std::optional<PostRow> before = LoadPost(tx, *tenant, id);
      if (!before.has_value()) return absl::OkStatus();
      const bool published =
          updated.state() == common::v1::POST_STATE_UNSPECIFIED
              ? before->published
              : updated.state() == common::v1::POST_STATE_PUBLISHED;
      Recache(context, UpdatePostText(tx, *tenant, id, updated.title(),
                                      updated.excerpt(), published));
      return absl::OkStatus();
    }
    case events::v1::Event::kPostHidden:
      Recache(context,
              SetPostPublished(tx, *tenant,
                               IdIn(*tenant, event.post_hidden().post().name(),
                                    {"tenants", "posts"}),
                               false));
      return absl::OkStatus();
    case events::v1::Event::kPostRemoved:
      Recache(context,
              SetPostPublished(tx, *tenant,
                               IdIn(*tenant, event.post_removed().post().name(),
                                    {"tenants", "posts"}),
                               false));
      return absl::OkStatus();
    case events::v1::Event::kPostDeleted:
      Recache(context,
              SetPostPublished(tx, *tenant,
                               IdIn(*tenant, event.post_deleted().post().name(),
                                    {"tenants", "posts"}),
                               false));
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

}  // namespace agora::share
