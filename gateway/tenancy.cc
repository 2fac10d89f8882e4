#include "gateway/tenancy.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace agora::gateway {

bool IsTenantId(absl::string_view tenant) {
  if (tenant.empty() || tenant.size() > 63) return false;
  return std::all_of(tenant.begin(), tenant.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

absl::StatusOr<TenantHosts> TenantHosts::Parse(absl::string_view hosts,
                                               absl::string_view suffix) {
  TenantHosts parsed;
  for (absl::string_view entry :
       absl::StrSplit(hosts, ',', absl::SkipEmpty())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<std::string> parts = absl::StrSplit(entry, '=');
    if (parts.size() != 2 || parts[0].empty() || !IsTenantId(parts[1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("tenant_hosts: \"", entry, "\" is not <host>=<tenant>"));
    }
    parsed.hosts_[absl::AsciiStrToLower(parts[0])] = parts[1];
  }
  parsed.suffix_ = absl::AsciiStrToLower(suffix);
  return parsed;
}

std::string TenantHosts::TenantOf(absl::string_view host_header) const {
  std::string host = absl::AsciiStrToLower(host_header);
  // "[::1]:8080" keeps its brackets; "name:8080" loses the port.
  const size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']') == std::string::npos) {
    host.resize(colon);
  }
  auto it = hosts_.find(host);
  if (it != hosts_.end()) return it->second;
  if (!suffix_.empty() && absl::EndsWith(host, suffix_) &&
      host.size() > suffix_.size()) {
    std::string label = host.substr(0, host.size() - suffix_.size());
    if (IsTenantId(label)) return label;
  }
  return "";
}

std::string TenantOfBindings(const std::vector<PathBinding>& bindings) {
  for (const PathBinding& binding : bindings) {
    absl::string_view value = binding.value;
    if (absl::ConsumePrefix(&value, "tenants/")) {
      return std::string(value.substr(0, value.find('/')));
    }
  }
  return "";
}

absl::StatusOr<CorsPolicy> CorsPolicy::Parse(absl::string_view spec) {
  CorsPolicy policy;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    entry = absl::StripAsciiWhitespace(entry);
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cors_origins: \"", entry, "\" is not <tenant>=<origin>|..."));
    }
    for (absl::string_view origin :
         absl::StrSplit(entry.substr(equals + 1), '|', absl::SkipEmpty())) {
      if (!absl::StartsWith(origin, "https://") &&
          !absl::StartsWith(origin, "http://")) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cors_origins: \"", origin, "\" is not an http(s) origin"));
      }
      policy.origins_[entry.substr(0, equals)].emplace_back(origin);
    }
  }
  return policy;
}

bool CorsPolicy::Allows(absl::string_view tenant,
                        absl::string_view origin) const {
  for (absl::string_view key : {tenant, absl::string_view("*")}) {
    auto it = origins_.find(key);
    if (it == origins_.end()) continue;
    if (std::find(it->second.begin(), it->second.end(), origin) !=
        it->second.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace agora::gateway
