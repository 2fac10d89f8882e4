#include "services/share/domain/share_stats.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_names.h"
#include "libs/pg/transaction.h"
#include "services/share/cache/click_store.h"
#include "services/share/domain/access.h"
#include "services/share/repository/link_store.h"
#include "services/share/repository/post_store.h"
#include "services/share/repository/tenant_store.h"

namespace agora::share {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

}  // namespace

absl::StatusOr<v1::ShareStats> GetShareStats(
    ShareContext& context, const auth::Principal* caller,
    const v1::GetShareStatsRequest& request) {
  absl::StatusOr<std::vector<std::string>> parts = api::ParseName(
      "name", request.name(), {"tenants", "posts"}, "shareStats");
  if (!parts.ok()) return parts.status();
  const std::string& tenant = (*parts)[0];
  const std::string& post = (*parts)[1];
  if (absl::Status allowed = RequireReader(caller, tenant); !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(tenant);
  if (!settings.ok()) return settings.status();
  const absl::TimeZone zone = (*settings)->time_zone;

  const absl::Time now = context.now();
  const absl::Time end = request.window().has_end_time()
                             ? TimeOf(request.window().end_time())
                             : now;
  const absl::Time start = request.window().has_start_time()
                               ? TimeOf(request.window().start_time())
                               : end - absl::Hours(24 * 30);
  if (start >= end) {
    return absl::InvalidArgumentError(
        "window: start_time must come before end_time");
  }
  if (end - start > absl::Hours(24 * 366)) {
    return absl::InvalidArgumentError("window: at most 366 days");
  }
  const absl::CivilDay first = absl::ToCivilDay(start, zone);
  // The end is exclusive.
  const absl::CivilDay last =
      absl::ToCivilDay(end - absl::Microseconds(1), zone);

  std::optional<PostRow> row;
  std::optional<TenantRow> tenant_row;
  std::vector<NetworkRow> networks;
  std::vector<DayRow> days;
  std::map<std::string, int64_t> estimates;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        row = LoadPost(tx, tenant, post);
        if (!row.has_value()) return absl::OkStatus();
        tenant_row = LoadTenant(tx, tenant);
        networks = NetworkFigures(tx, tenant, post);
        days = DailyFigures(tx, tenant, post, first, last);
        std::vector<std::string> scopes = {PostScope(post)};
        for (const NetworkRow& network : networks) {
          scopes.push_back(PostNetworkScope(post, network.network));
        }
        for (const DayRow& day : days) {
          scopes.push_back(PostDayScope(post, absl::FormatCivilTime(day.day)));
        }
        estimates = SketchEstimates(tx, tenant, scopes);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "name: ", api::PostResourceName(tenant, post), " is not known"));
  }
  auto estimate = [&estimates](const std::string& scope) -> int64_t {
    auto found = estimates.find(scope);
    return found == estimates.end() ? 0 : found->second;
  };

  v1::ShareStats stats;
  stats.set_name(request.name());
  stats.mutable_post()->set_kind(
      static_cast<common::v1::ContentKind>(row->kind));
  stats.mutable_post()->set_name(api::PostResourceName(tenant, post));
  v1::NetworkStats* total = stats.mutable_total();
  std::map<int, const NetworkRow*> by_network;
  for (const NetworkRow& network : networks) {
    by_network[network.network] = &network;
    total->set_links_created(total->links_created() + network.links_created);
    total->set_shares(total->shares() + network.shares);
    total->set_clicks(total->clicks() + network.clicks);
    total->set_bot_clicks(total->bot_clicks() + network.bot_clicks);
  }
  total->set_unique_visitors(estimate(PostScope(post)));
  // The tenant's order, then networks no longer offered that have figures.
  std::vector<int> order;
  std::set<int> listed;
  for (const v1::NetworkSetting& setting : (*settings)->settings.networks()) {
    if (setting.enabled() || by_network.count(setting.network()) > 0) {
      order.push_back(setting.network());
      listed.insert(setting.network());
    }
  }
  for (const auto& [network, figures] : by_network) {
    if (listed.count(network) == 0) order.push_back(network);
  }
  for (int network : order) {
    v1::NetworkStats* out = stats.add_networks();
    out->set_network(static_cast<common::v1::ShareNetwork>(network));
    auto found = by_network.find(network);
    if (found == by_network.end()) continue;
    out->set_links_created(found->second->links_created);
    out->set_shares(found->second->shares);
    out->set_clicks(found->second->clicks);
    out->set_bot_clicks(found->second->bot_clicks);
    out->set_unique_visitors(estimate(PostNetworkScope(post, network)));
  }
  for (const DayRow& day : days) {
    v1::DailyClicks* out = stats.add_daily();
    out->set_date(absl::FormatCivilTime(day.day));
    out->set_clicks(day.clicks);
    out->set_bot_clicks(day.bot_clicks);
    out->set_unique_visitors(
        estimate(PostDayScope(post, absl::FormatCivilTime(day.day))));
  }
  if (tenant_row.has_value() && tenant_row->last_flush_time.has_value()) {
    *stats.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(*tenant_row->last_flush_time));
  }
  return stats;
}

}  // namespace agora::share
