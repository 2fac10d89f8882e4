#include "services/share/cache/share_keys.h"

#include "absl/strings/str_cat.h"

namespace agora::share {

std::string TenantKeys::Post(absl::string_view post) const {
  return absl::StrCat(base, "post:", post);
}

std::string TenantKeys::Rate(absl::string_view visitor, int64_t minute) const {
  return absl::StrCat(base, "rate:", visitor, ":", minute);
}

std::string TenantKeys::Sketch(absl::string_view scope) const {
  return absl::StrCat(base, "hll:", scope);
}

absl::StatusOr<TenantKeys> KeysOf(const redis::KeyBuilder& keys,
                                  absl::string_view tenant) {
  absl::StatusOr<std::string> base = keys.TenantKey(tenant, {"share", ""});
  if (!base.ok()) return base.status();
  TenantKeys out;
  out.base = *base;
  out.pending = out.base + "pending";
  out.clicks = out.base + "clicks";
  out.sealed_pending = out.base + "sealed:pending";
  out.sealed_clicks = out.base + "sealed:clicks";
  out.sealed_batch = out.base + "sealed:batch";
  return out;
}

}  // namespace agora::share
