#include "services/share/domain/settings.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "libs/api/resource_names.h"
#include "libs/api/update_mask.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/share/domain/access.h"
#include "services/share/domain/share_urls.h"
#include "services/share/repository/tenant_store.h"

namespace agora::share {
namespace {

constexpr absl::string_view kMutableFields[] = {
    "networks",
    "utm_campaign",
    "default_preview_image_uri",
    "allowed_target_hosts",
    "public_base_url",
    "post_path_template",
    "short_link_base_url",
    "unavailable_page_url",
    "site_name",
    "twitter_site",
    "visitor_milestones",
    "max_resolutions_per_visitor_per_minute"};

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("share_settings.", field, ": ", message));
}

absl::Status HostNotAllowed(absl::string_view field) {
  return status::WithReason(
      Invalid(field, "host is not in allowed_target_hosts"),
      "HOST_NOT_ALLOWED");
}

bool IsHostName(absl::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' ||
      host.back() == '.' || host.front() == '-') {
    return false;
  }
  for (char c : host) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.') {
      return false;
    }
  }
  return true;
}

// localhost, *.localhost (RFC 6761: always loopback; deploy/up serves
// tenants as fr.agora.localhost) and 127.0.0.1.
bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || absl::EndsWith(host, ".localhost") ||
         host == "127.0.0.1";
}

// "https://host[:port]" without path; plain http only for loopback hosts (a
// developer's machine).
absl::Status ValidateOrigin(absl::string_view field, absl::string_view url) {
  const std::string host = HostOf(url);
  if (host.empty()) return Invalid(field, "must be https://host[:port]");
  const bool local = IsLoopbackHost(host);
  if (!absl::StartsWith(url, "https://") &&
      !(local && absl::StartsWith(url, "http://"))) {
    return Invalid(field, "must be https://host[:port]");
  }
  const absl::string_view rest =
      url.substr(absl::StartsWith(url, "https://") ? 8 : 7);
  if (rest.find_first_of("/?#") != absl::string_view::npos) {
    return Invalid(field, "must be an origin, without path or query");
  }
  return absl::OkStatus();
}

// An https URL on an allowed host.
absl::Status ValidateTargetUrl(const v1::ShareSettings& settings,
                               absl::string_view field, absl::string_view url) {
  const std::string host = HostOf(url);
  const bool local = IsLoopbackHost(host);
  if (host.empty() || url.size() > 2000 ||
      !(absl::StartsWith(url, "https://") ||
        (local && absl::StartsWith(url, "http://")))) {
    return Invalid(field, "must be an https URL of at most 2,000 characters");
  }
  if (!IsAllowedTarget(settings, url)) return HostNotAllowed(field);
  return absl::OkStatus();
}

bool IsCampaign(absl::string_view campaign) {
  if (campaign.empty() || campaign.size() > 100) return false;
  for (char c : campaign) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

std::string EtagOf(int64_t version) {
  return absl::StrCat("\"", version, "\"");
}

absl::StatusOr<std::string> ParseSettingsName(absl::string_view field,
                                              absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants"}, "shareSettings");
  if (!parts.ok()) return parts.status();
  return (*parts)[0];
}

}  // namespace

v1::ShareSettings DefaultSettings() {
  v1::ShareSettings settings;
  for (int network = common::v1::SHARE_NETWORK_FACEBOOK;
       network <= common::v1::SHARE_NETWORK_COPY_LINK; ++network) {
    v1::NetworkSetting* setting = settings.add_networks();
    setting->set_network(static_cast<common::v1::ShareNetwork>(network));
    setting->set_enabled(true);
  }
  settings.set_utm_campaign("agora");
  settings.set_post_path_template("/posts/{post}");
  settings.set_site_name("Agora");
  for (int64_t milestone : {25, 300, 1000}) {
    settings.add_visitor_milestones(milestone);
  }
  settings.set_max_resolutions_per_visitor_per_minute(30);
  return settings;
}

v1::ShareSettings WithDefaults(const v1::ShareSettings& stored) {
  const v1::ShareSettings defaults = DefaultSettings();
  v1::ShareSettings settings = stored;
  if (settings.networks().empty()) {
    *settings.mutable_networks() = defaults.networks();
  }
  if (settings.utm_campaign().empty()) {
    settings.set_utm_campaign(defaults.utm_campaign());
  }
  if (settings.post_path_template().empty()) {
    settings.set_post_path_template(defaults.post_path_template());
  }
  if (settings.site_name().empty()) settings.set_site_name("Agora");
  if (settings.visitor_milestones().empty()) {
    *settings.mutable_visitor_milestones() = defaults.visitor_milestones();
  }
  if (settings.max_resolutions_per_visitor_per_minute() == 0) {
    settings.set_max_resolutions_per_visitor_per_minute(
        defaults.max_resolutions_per_visitor_per_minute());
  }
  return settings;
}

bool IsConfigured(const v1::ShareSettings& settings) {
  return !settings.public_base_url().empty() &&
         !settings.short_link_base_url().empty() &&
         !settings.unavailable_page_url().empty() &&
         !settings.allowed_target_hosts().empty();
}

absl::Status ValidateSettings(const v1::ShareSettings& settings) {
  if (settings.networks_size() > 7) {
    return Invalid("networks", "at most 7 networks");
  }
  std::set<int> seen;
  for (const v1::NetworkSetting& setting : settings.networks()) {
    if (setting.network() <= common::v1::SHARE_NETWORK_UNSPECIFIED ||
        setting.network() > common::v1::SHARE_NETWORK_COPY_LINK) {
      return Invalid("networks", "unknown or unspecified network");
    }
    if (!seen.insert(setting.network()).second) {
      return Invalid(
          "networks",
          absl::StrCat(common::v1::ShareNetwork_Name(setting.network()),
                       " listed twice"));
    }
  }
  if (!IsCampaign(settings.utm_campaign())) {
    return Invalid("utm_campaign", "1-100 characters of [A-Za-z0-9_-]");
  }
  if (settings.allowed_target_hosts_size() > 20) {
    return Invalid("allowed_target_hosts", "at most 20 hosts");
  }
  for (const std::string& host : settings.allowed_target_hosts()) {
    if (!IsHostName(host)) {
      return Invalid("allowed_target_hosts",
                     "exact lower-case host names, without scheme or port");
    }
  }
  if (!settings.public_base_url().empty()) {
    if (absl::Status origin =
            ValidateOrigin("public_base_url", settings.public_base_url());
        !origin.ok()) {
      return origin;
    }
    if (!IsAllowedTarget(settings, settings.public_base_url())) {
      return HostNotAllowed("public_base_url");
    }
  }
  const std::string& path = settings.post_path_template();
  if (path.size() < 2 || path.size() > 200 || path.front() != '/' ||
      !absl::StrContains(path, "{post}") ||
      path.find_first_of(" #\\\"<>") != std::string::npos) {
    return Invalid("post_path_template",
                   "2-200 characters starting with '/' and containing "
                   "{post}");
  }
  if (!settings.short_link_base_url().empty()) {
    if (absl::Status origin = ValidateOrigin("short_link_base_url",
                                             settings.short_link_base_url());
        !origin.ok()) {
      return origin;
    }
  }
  if (!settings.unavailable_page_url().empty()) {
    if (absl::Status url = ValidateTargetUrl(settings, "unavailable_page_url",
                                             settings.unavailable_page_url());
        !url.ok()) {
      return url;
    }
  }
  if (!settings.default_preview_image_uri().empty()) {
    if (absl::Status url =
            ValidateTargetUrl(settings, "default_preview_image_uri",
                              settings.default_preview_image_uri());
        !url.ok()) {
      return url;
    }
  }
  if (settings.site_name().empty() || settings.site_name().size() > 100) {
    return Invalid("site_name", "1-100 characters");
  }
  const std::string& handle = settings.twitter_site();
  if (!handle.empty()) {
    bool valid = handle.size() >= 2 && handle.size() <= 16 && handle[0] == '@';
    for (size_t i = 1; valid && i < handle.size(); ++i) {
      const auto c = static_cast<unsigned char>(handle[i]);
      valid = absl::ascii_isalnum(c) || c == '_';
    }
    if (!valid) return Invalid("twitter_site", "'@' and 1-15 of [A-Za-z0-9_]");
  }
  if (settings.visitor_milestones_size() > 10) {
    return Invalid("visitor_milestones", "at most 10 milestones");
  }
  int64_t previous = 0;
  for (int64_t milestone : settings.visitor_milestones()) {
    if (milestone < 1 || milestone > 10'000'000 || milestone <= previous) {
      return Invalid("visitor_milestones",
                     "ascending values between 1 and 10,000,000");
    }
    previous = milestone;
  }
  const int rate = settings.max_resolutions_per_visitor_per_minute();
  if (rate < 1 || rate > 600) {
    return Invalid("max_resolutions_per_visitor_per_minute", "1-600");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ShareSettings> GetShareSettings(
    ShareContext& context, const auth::Principal* caller,
    const v1::GetShareSettingsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseSettingsName("name", request.name());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireReader(caller, *tenant); !allowed.ok()) {
    return allowed;
  }
  context.settings.Invalidate(*tenant);
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(*tenant);
  if (!settings.ok()) return settings.status();
  return (*settings)->settings;
}

absl::StatusOr<v1::ShareSettings> UpdateShareSettings(
    ShareContext& context, const auth::Principal& caller,
    const v1::UpdateShareSettingsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseSettingsName("share_settings.name", request.share_settings().name());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireTenantAdmin(caller, *tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kMutableFields, "ShareSettings");
  if (!paths.ok()) return paths.status();
  google::protobuf::FieldMask mask;
  for (const std::string& path : *paths) mask.add_paths(path);

  absl::Status written =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<TenantRow> row = LoadTenant(tx, *tenant, /*lock=*/true);
        const int64_t version = row.has_value() ? row->version : 0;
        const std::string& etag = request.share_settings().etag();
        if (!etag.empty() && etag != EtagOf(version)) {
          return api::EtagMismatch("share_settings.etag", "the share settings");
        }
        v1::ShareSettings stored;
        if (row.has_value() && row->settings.has_value()) {
          stored.ParseFromString(*row->settings);
        }
        google::protobuf::util::FieldMaskUtil::MergeOptions options;
        options.set_replace_repeated_fields(true);
        google::protobuf::util::FieldMaskUtil::MergeMessageTo(
            request.share_settings(), mask, options, &stored);
        // Host names compare lower-case.
        for (std::string& host : *stored.mutable_allowed_target_hosts()) {
          host = absl::AsciiStrToLower(host);
        }
        stored.clear_name();
        stored.clear_etag();
        stored.clear_update_time();
        if (absl::Status valid = ValidateSettings(WithDefaults(stored));
            !valid.ok()) {
          return valid;
        }
        SaveSettings(tx, *tenant, stored.SerializeAsString());
        return absl::OkStatus();
      });
  if (!written.ok()) return written;
  context.settings.Invalidate(*tenant);
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(*tenant);
  if (!settings.ok()) return settings.status();
  return (*settings)->settings;
}

}  // namespace agora::share
