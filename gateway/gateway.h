// The gateway's request handler: what every HTTP request goes through
// between the HTTP server and the gRPC services. Fixed endpoints (/healthz,
// /readyz, /metrics, /openapi.json, /.well-known/jwks.json, /s/{code}) and
// the routes of the annotations; for a route: tenant, authentication,
// rate limit, transcoding, the upstream call with deadline and forwarded
// metadata, the status table, CORS, metrics and the access log.
#ifndef AGORA_GATEWAY_GATEWAY_H_
#define AGORA_GATEWAY_GATEWAY_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/contracts.h"
#include "gateway/http_message.h"
#include "gateway/rate_limiter.h"
#include "gateway/route_table.h"
#include "gateway/short_links.h"
#include "gateway/tenancy.h"
#include "gateway/transcoder.h"
#include "gateway/upstreams.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/principal.h"
#include "libs/server/metrics.h"

namespace agora::gateway {

struct GatewayOptions {
  // Deadline of every upstream call.
  absl::Duration deadline = absl::Seconds(10);
  // Methods (full names, "agora.identity.v1.IdentityService.Login") callers
  // may call without a token besides every GET.
  absl::flat_hash_set<std::string> anonymous_methods;
  // Route class per method; otherwise "read" for GET, "write" for others.
  absl::flat_hash_map<std::string, std::string> route_classes;
  // The share service's ResolveShortLink, for /s/{code}.
  std::string resolve_short_link_method =
      "agora.share.v1.ShareService.ResolveShortLink";
  // Identity's GetJwks, for /.well-known/jwks.json and token verification.
  std::string get_jwks_method = "agora.identity.v1.IdentityService.GetJwks";
  // Secret of the visitor keys of /s/{code}.
  std::string visitor_key_secret;
  // Take the client address from X-Forwarded-For, this many hops from the
  // right (the ingress' own entry is 1); 0 trusts only the peer address.
  int forwarded_for_hops = 0;
  bool access_log = true;
};

class Gateway {
 public:
  // Every pointer must outlive the gateway; `rate_limiter` and
  // `service_tokens` may be null (no rate limits; /s/ answers 503).
  Gateway(GatewayOptions options, const Contracts& contracts,
          const RouteTable& routes, Upstreams& upstreams,
          const auth::JwtVerifier& verifier, RateLimiter* rate_limiter,
          ServiceTokens* service_tokens, TenantHosts tenant_hosts,
          CorsPolicy cors, server::MetricsRegistry& metrics,
          std::string openapi_json);

  // Handles one request; `respond` is called exactly once, maybe on another
  // thread.
  void Handle(HttpRequest request, Respond respond);

  // /readyz answers 503 from now on (SIGTERM: load balancers stop sending).
  void StartDraining() { draining_.store(true); }

  // Identity's JWKS document via GetJwks, for a JwksKeySource (blocks).
  absl::StatusOr<std::string> FetchJwks();

  // Calls the annotated RPC `method_full_name` with a JSON request and
  // returns the JSON response (blocks): the gateway's own calls (service
  // tokens), made through the same generic path as every route.
  // Its deadline is short: a request's event loop may be waiting for it.
  absl::StatusOr<std::string> CallJson(
      absl::string_view method_full_name, absl::string_view json,
      std::optional<std::string> authorization = std::nullopt,
      absl::Duration deadline = absl::Seconds(2));

 private:
  struct Call;  // one request's facts, shared with its completion

  void HandleApi(std::shared_ptr<Call> call);
  void HandleReady(std::shared_ptr<Call> call);
  void HandleJwks(std::shared_ptr<Call> call);
  void HandleShortLink(std::shared_ptr<Call> call, absl::string_view code);
  void HandlePreflight(std::shared_ptr<Call> call);
  void Finish(Call& call, HttpResponse response);
  void Fail(Call& call, const absl::Status& status);

  // Calls `route`'s method with `request` bytes.
  void CallUpstream(const Route& route, std::string request, const Call& call,
                    std::optional<std::string> authorization,
                    std::function<void(const absl::Status&, std::string)> done,
                    std::optional<absl::Duration> deadline = std::nullopt);

  std::string ClientAddress(const HttpRequest& request) const;
  std::string RouteClass(const Route& route) const;

  const GatewayOptions options_;
  const Contracts& contracts_;
  const RouteTable& routes_;
  Transcoder transcoder_;
  Upstreams& upstreams_;
  const auth::JwtVerifier& verifier_;
  RateLimiter* rate_limiter_;
  ServiceTokens* service_tokens_;
  const TenantHosts tenant_hosts_;
  const CorsPolicy cors_;
  server::MetricsRegistry& metrics_registry_;
  server::CounterFamily& requests_;
  server::HistogramFamily& latency_;
  server::CounterFamily& upstream_errors_;
  server::CounterFamily& rate_limited_;
  server::CounterFamily& rate_limiter_errors_;
  const std::string openapi_json_;
  std::atomic<bool> draining_{false};

  absl::Mutex jwks_mu_;
  std::string jwks_cache_ ABSL_GUARDED_BY(jwks_mu_);
  absl::Time jwks_fetched_ ABSL_GUARDED_BY(jwks_mu_) = absl::InfinitePast();
};

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_GATEWAY_H_
