#include "services/share/domain/share_links.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_names.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/share/domain/access.h"
#include "services/share/domain/names.h"
#include "services/share/domain/post_view.h"
#include "services/share/domain/previews.h"
#include "services/share/domain/share_urls.h"
#include "services/share/domain/short_code.h"
#include "services/share/repository/post_store.h"

namespace agora::share {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

absl::StatusOr<std::shared_ptr<const TenantSettings>> ConfiguredSettings(
    ShareContext& context, const std::string& tenant) {
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(tenant);
  if (!settings.ok()) return settings.status();
  if (!(*settings)->configured) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tenants/", tenant,
        "/shareSettings: public_base_url, short_link_base_url,"
        " unavailable_page_url and allowed_target_hosts must be set first"));
  }
  return settings;
}

// A contest entry's campaign is its contest (when it is a valid campaign).
std::string CampaignOf(const v1::ShareSettings& settings, const PostRow& post) {
  if (!post.contest.empty() && post.contest.size() <= 100) {
    bool valid = true;
    for (char c : post.contest) {
      valid = valid && (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                        c == '-' || c == '_');
    }
    if (valid) return post.contest;
  }
  return settings.utm_campaign();
}

// The caller's link, or the anonymous one.
std::string SharerOf(const auth::Principal* caller) {
  if (caller == nullptr || caller->is_service_account) return "";
  return caller->subject;
}

absl::StatusOr<LinkRow> FindOrCreateLink(pqxx::transaction_base& tx,
                                         const v1::ShareSettings& settings,
                                         const PostRow& post, int network,
                                         const std::string& sharer,
                                         absl::Time now) {
  if (std::optional<LinkRow> found =
          FindLinkFor(tx, post.tenant, post.id, network, sharer)) {
    return *found;
  }
  LinkRow link;
  link.tenant = post.tenant;
  link.post = post.id;
  link.post_kind = post.kind;
  link.post_published = post.published;
  link.network = network;
  link.sharer = sharer;
  link.utm_campaign = CampaignOf(settings, post);
  link.target_url = TargetUrl(settings, post.id,
                              static_cast<common::v1::ShareNetwork>(network),
                              link.utm_campaign);
  link.create_time = now;
  // A taken code (about one in 10^17 per draw) is drawn again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    absl::StatusOr<std::string> code = NewShortCode();
    if (!code.ok()) return code.status();
    link.code = *code;
    if (InsertLink(tx, link)) return link;
    // Made meanwhile by a concurrent call for the same sharer.
    if (std::optional<LinkRow> found =
            FindLinkFor(tx, post.tenant, post.id, network, sharer)) {
      return *found;
    }
  }
  return absl::InternalError("share: no free short code after 5 draws");
}

struct PageToken {
  absl::Time create_time;
  std::string code;
};

std::string EncodeToken(const LinkRow& link) {
  return absl::StrCat(absl::ToUnixMicros(link.create_time), ".", link.code);
}

absl::StatusOr<PageToken> DecodeToken(const std::string& token) {
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  int64_t micros = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros) ||
      !IsShortCode(parts[1])) {
    return absl::InvalidArgumentError("page_token: not a token of this list");
  }
  return PageToken{absl::FromUnixMicros(micros), parts[1]};
}

}  // namespace

v1::ShortLink ShortLinkOf(const v1::ShareSettings& settings,
                          const LinkRow& link) {
  v1::ShortLink out;
  out.set_name(ShortLinkResourceName(link.tenant, link.code));
  out.set_code(link.code);
  out.mutable_post()->set_kind(
      static_cast<common::v1::ContentKind>(link.post_kind));
  out.mutable_post()->set_name(api::PostResourceName(link.tenant, link.post));
  out.set_network(static_cast<common::v1::ShareNetwork>(link.network));
  if (!link.sharer.empty()) {
    out.set_sharer(api::MemberResourceName(link.tenant, link.sharer));
  }
  out.set_short_url(ShortUrl(settings, link.code));
  out.set_target_url(link.target_url);
  out.set_utm_campaign(link.utm_campaign);
  out.set_state(link.post_published ? v1::ShortLink::STATE_ACTIVE
                                    : v1::ShortLink::STATE_UNAVAILABLE);
  out.set_clicks(link.clicks);
  out.set_unique_visitors(link.unique_visitors);
  out.set_bot_clicks(link.bot_clicks);
  if (link.first_click_time.has_value()) {
    *out.mutable_first_click_time() = ToTimestamp(*link.first_click_time);
  }
  if (link.last_click_time.has_value()) {
    *out.mutable_last_click_time() = ToTimestamp(*link.last_click_time);
  }
  *out.mutable_create_time() = ToTimestamp(link.create_time);
  return out;
}

absl::StatusOr<v1::CreateShareLinksResponse> CreateShareLinks(
    ShareContext& context, const auth::Principal* caller,
    const v1::CreateShareLinksRequest& request) {
  absl::StatusOr<api::PostName> post =
      api::ParsePostName("post", request.post());
  if (!post.ok()) return post.status();
  if (absl::Status allowed = RequireReader(caller, post->tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  if (request.networks_size() > 7) {
    return absl::InvalidArgumentError("networks: at most 7");
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> tenant_settings =
      ConfiguredSettings(context, post->tenant);
  if (!tenant_settings.ok()) return tenant_settings.status();
  const v1::ShareSettings& settings = (*tenant_settings)->settings;

  std::set<int> enabled;
  for (const v1::NetworkSetting& setting : settings.networks()) {
    if (setting.enabled()) enabled.insert(setting.network());
  }
  std::set<int> asked;
  for (int network : request.networks()) {
    if (enabled.count(network) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("networks: ", common::v1::ShareNetwork_Name(network),
                       " is not enabled by the tenant"));
    }
    asked.insert(network);
  }
  std::vector<int> networks;  // the tenant's order
  for (const v1::NetworkSetting& setting : settings.networks()) {
    if (setting.enabled() &&
        (asked.empty() || asked.count(setting.network()) > 0)) {
      networks.push_back(setting.network());
    }
  }

  const std::string sharer = SharerOf(caller);
  const absl::Time now = context.now();
  std::optional<PostRow> row;
  std::vector<LinkRow> links;
  absl::Status made =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        links.clear();
        row = LoadPost(tx, post->tenant, post->post);
        if (!row.has_value() || !row->published) {
          return absl::NotFoundError(absl::StrCat("post: ", request.post(),
                                                  " is not a published post"));
        }
        for (int network : networks) {
          absl::StatusOr<LinkRow> link =
              FindOrCreateLink(tx, settings, *row, network, sharer, now);
          if (!link.ok()) return link.status();
          links.push_back(*std::move(link));
        }
        return absl::OkStatus();
      });
  if (!made.ok()) return made;

  v1::CreateShareLinksResponse response;
  for (LinkRow& link : links) {
    link.post_kind = row->kind;
    link.post_published = row->published;
    v1::ShareLink* share = response.add_share_links();
    share->set_network(static_cast<common::v1::ShareNetwork>(link.network));
    *share->mutable_short_link() = ShortLinkOf(settings, link);
    share->set_share_url(
        NetworkShareUrl(share->network(), share->short_link().short_url(),
                        row->title.empty() ? row->excerpt : row->title));
  }
  *response.mutable_preview() = BuildPreview(settings, *row, "");
  return response;
}

absl::StatusOr<v1::ShortLink> GetShortLink(
    ShareContext& context, const auth::Principal& caller,
    const v1::GetShortLinkRequest& request) {
  absl::StatusOr<ShortLinkName> name =
      ParseShortLinkName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status allowed = RequireReader(&caller, name->tenant);
      !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(name->tenant);
  if (!settings.ok()) return settings.status();
  std::optional<LinkRow> link;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        link = FindLink(tx, name->tenant, name->code);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!link.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("name: ", request.name(), " is not known"));
  }
  const bool own = !caller.is_service_account && !link->sharer.empty() &&
                   link->sharer == caller.subject;
  if (!own && !IsModeratorOrAdmin(caller)) {
    return absl::PermissionDeniedError(
        "only its sharer, moderators and tenant admins see a short link");
  }
  return ShortLinkOf((*settings)->settings, *link);
}

absl::StatusOr<v1::ListShortLinksResponse> ListShortLinks(
    ShareContext& context, const auth::Principal& caller,
    const v1::ListShortLinksRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireReader(&caller, *tenant); !allowed.ok()) {
    return allowed;
  }
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size =
      request.page_size() == 0 ? 20 : std::min(request.page_size(), 100);
  LinkFilter filter;
  if (!request.post().empty()) {
    absl::StatusOr<api::PostName> post =
        api::ParsePostName("post", request.post());
    if (!post.ok()) return post.status();
    if (post->tenant != *tenant) {
      return absl::InvalidArgumentError("post: not a post of the parent");
    }
    filter.post = post->post;
  }
  if (!request.sharer().empty()) {
    absl::StatusOr<api::MemberName> sharer =
        api::ParseMemberName("sharer", request.sharer(), &caller);
    if (!sharer.ok()) return sharer.status();
    if (sharer->tenant != *tenant) {
      return absl::InvalidArgumentError("sharer: not a member of the parent");
    }
    filter.sharer = sharer->member;
  }
  if (request.network() < 0 ||
      request.network() > common::v1::SHARE_NETWORK_COPY_LINK) {
    return absl::InvalidArgumentError("network: unknown network");
  }
  filter.network = request.network();
  if (!IsModeratorOrAdmin(caller)) {
    if (caller.is_service_account ||
        (!filter.sharer.empty() && filter.sharer != caller.subject)) {
      return absl::PermissionDeniedError(
          "members list their own short links only");
    }
    filter.sharer = caller.subject;
  }
  std::optional<LinkCursor> after;
  if (!request.page_token().empty()) {
    absl::StatusOr<PageToken> token = DecodeToken(request.page_token());
    if (!token.ok()) return token.status();
    after = LinkCursor{token->create_time, token->code};
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(*tenant);
  if (!settings.ok()) return settings.status();
  std::vector<LinkRow> links;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        links = ListLinks(tx, *tenant, filter, after, page_size + 1);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  v1::ListShortLinksResponse response;
  for (size_t i = 0; i < links.size() && i < static_cast<size_t>(page_size);
       ++i) {
    *response.add_short_links() = ShortLinkOf((*settings)->settings, links[i]);
  }
  if (links.size() > static_cast<size_t>(page_size)) {
    response.set_next_page_token(EncodeToken(links[page_size - 1]));
  }
  return response;
}

absl::StatusOr<v1::MemberShareData> ExportMemberData(
    ShareContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request) {
  absl::StatusOr<api::MemberName> member =
      api::ParseMemberName("name", request.name(), &caller);
  if (!member.ok()) return member.status();
  if (absl::Status allowed = RequireReader(&caller, member->tenant);
      !allowed.ok()) {
    return allowed;
  }
  const bool self =
      !caller.is_service_account && caller.subject == member->member;
  if (!self && !caller.HasRole(auth::kRoleTenantAdmin) &&
      !caller.HasRole(auth::kRolePlatformAdmin)) {
    return absl::PermissionDeniedError(
        "the member themselves, tenant admins and platform admins only");
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(member->tenant);
  if (!settings.ok()) return settings.status();
  v1::MemberShareData data;
  data.set_member(api::MemberResourceName(member->tenant, member->member));
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        data.clear_short_links();
        std::optional<LinkCursor> after;
        LinkFilter filter;
        filter.sharer = member->member;
        while (true) {
          std::vector<LinkRow> links =
              ListLinks(tx, member->tenant, filter, after, 500);
          for (const LinkRow& link : links) {
            *data.add_short_links() = ShortLinkOf((*settings)->settings, link);
          }
          if (links.size() < 500) break;
          after = LinkCursor{links.back().create_time, links.back().code};
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  *data.mutable_export_time() = ToTimestamp(context.now());
  return data;
}

}  // namespace agora::share
