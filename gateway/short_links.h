// What the gateway's /s/{code} needs besides the share service's answer:
// the visitor key it sends instead of an address, the checks on the
// redirect target, the Open Graph page crawlers get, and the service-account
// tokens (scope share.resolve, one per tenant) the calls carry.
#ifndef AGORA_GATEWAY_SHORT_LINKS_H_
#define AGORA_GATEWAY_SHORT_LINKS_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace agora::gateway {

// A short code as the path carries it: 1-64 of [0-9A-Za-z] (the share
// service checks the exact format; this keeps garbage from going upstream).
bool IsShortCode(absl::string_view code);

// HMAC-SHA-256 of address and user agent under `secret`, hex: stable for a
// visitor, never the raw address.
std::string VisitorKey(absl::string_view secret, absl::string_view address,
                       absl::string_view user_agent);

// The host of a Referer header value, lower case ("" when none or bad).
std::string RefererHost(absl::string_view referer);

// An absolute http(s) URL with a host and nothing that could split a header
// or run script: what a Location header may carry.
bool IsSafeRedirectUrl(absl::string_view url);

// The HTML page of a ResolveShortLinkResponse.preview (JSON mapping) for
// crawlers; every value escaped.
std::string PreviewPage(const nlohmann::json& preview,
                        absl::string_view redirect_url);

// CSP (nothing but images and inline style), nosniff, no framing, no
// referrer: set on every HTML response.
void SetHtmlSecurityHeaders(HttpResponse& response);

struct IssuedToken {
  std::string token;
  absl::Time expires_at;
};

// Service-account tokens per tenant, kept until shortly before they expire.
// A failed issue is remembered for a few seconds: a misconfigured secret
// must not turn every short-link click into a call to identity.
class ServiceTokens {
 public:
  using Issue =
      std::function<absl::StatusOr<IssuedToken>(absl::string_view tenant)>;
  explicit ServiceTokens(Issue issue) : issue_(std::move(issue)) {}

  absl::StatusOr<std::string> TokenFor(absl::string_view tenant)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Issue issue_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, IssuedToken> tokens_ ABSL_GUARDED_BY(mu_);
  struct Failure {
    absl::Status status;
    absl::Time until;
  };
  absl::flat_hash_map<std::string, Failure> failures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_SHORT_LINKS_H_
