#include "gateway/gateway.h"

#include <grpcpp/client_context.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "gateway/error_response.h"
#include "libs/auth/authenticate.h"
#include "libs/logging/log.h"
#include "libs/server/request_context.h"
#include "libs/status/error_details.h"
#include "libs/status/grpc_status.h"

namespace agora::gateway {

struct Gateway::Call {
  HttpRequest request;
  Respond respond;
  std::string request_id;
  absl::Time start;
  std::string route_label = "unmatched";
  std::string tenant;
  std::string caller;
  std::string cors_origin;  // echoed when the tenant allows it
  std::string traceparent;
  std::string tracestate;
};

namespace {

bool IsHex(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
  });
}

// W3C trace context: "00-<32 hex>-<16 hex>-<2 hex>", ids not all zero.
bool IsTraceparent(absl::string_view value) {
  if (value.size() != 55) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(value, '-');
  return parts.size() == 4 && parts[0].size() == 2 && IsHex(parts[0]) &&
         parts[0] != "ff" && parts[1].size() == 32 && IsHex(parts[1]) &&
         parts[1] != std::string(32, '0') && parts[2].size() == 16 &&
         IsHex(parts[2]) && parts[2] != std::string(16, '0') &&
         parts[3].size() == 2 && IsHex(parts[3]);
}

bool IsPrintableAscii(absl::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool IsAddress(absl::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return absl::ascii_isxdigit(c) || c == '.' || c == ':';
         });
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.SetHeader("content-type", "application/json");
  return response;
}

HttpResponse HtmlPage(int status, absl::string_view title) {
  HttpResponse response;
  response.status = status;
  response.body = absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta "
      "charset=\"utf-8\"><title>",
      title, "</title></head><body><h1>", title, "</h1></body></html>\n");
  response.SetHeader("content-type", "text/html; charset=utf-8");
  response.SetHeader("cache-control", "no-store");
  SetHtmlSecurityHeaders(response);
  return response;
}

}  // namespace

Gateway::Gateway(GatewayOptions options, const Contracts& contracts,
                 const RouteTable& routes, Upstreams& upstreams,
                 const auth::JwtVerifier& verifier, RateLimiter* rate_limiter,
                 ServiceTokens* service_tokens, TenantHosts tenant_hosts,
                 CorsPolicy cors, server::MetricsRegistry& metrics,
                 std::string openapi_json)
    : options_(std::move(options)),
      contracts_(contracts),
      routes_(routes),
      transcoder_(contracts, routes),
      upstreams_(upstreams),
      verifier_(verifier),
      rate_limiter_(rate_limiter),
      service_tokens_(service_tokens),
      tenant_hosts_(std::move(tenant_hosts)),
      cors_(std::move(cors)),
      metrics_registry_(metrics),
      requests_(metrics.AddCounter("gateway_http_requests_total",
                                   "HTTP requests by route and status",
                                   {"route", "status"})),
      latency_(metrics.AddHistogram("gateway_http_request_duration_seconds",
                                    "HTTP request latency by route", {"route"},
                                    server::LatencyBuckets())),
      upstream_errors_(metrics.AddCounter(
          "gateway_upstream_errors_total",
          "Upstream calls that did not return OK, by upstream and code",
          {"upstream", "code"})),
      rate_limited_(metrics.AddCounter("gateway_rate_limited_total",
                                       "Requests refused by a rate limit",
                                       {"class"})),
      rate_limiter_errors_(metrics.AddCounter(
          "gateway_rate_limiter_errors_total",
          "Requests let through because Redis could not be asked", {})),
      openapi_json_(std::move(openapi_json)) {}

void Gateway::Handle(HttpRequest request, Respond respond) {
  auto call = std::make_shared<Call>();
  call->request = std::move(request);
  call->respond = std::move(respond);
  call->start = absl::Now();
  const HttpRequest& req = call->request;
  std::optional<absl::string_view> id = req.Header("x-request-id");
  call->request_id = id.has_value() && server::IsAcceptableRequestId(*id)
                         ? std::string(*id)
                         : server::NewRequestId();
  if (std::optional<absl::string_view> trace = req.Header("traceparent");
      trace.has_value() && IsTraceparent(*trace)) {
    call->traceparent = std::string(*trace);
    std::optional<absl::string_view> state = req.Header("tracestate");
    if (state.has_value() && state->size() <= 512 && IsPrintableAscii(*state)) {
      call->tracestate = std::string(*state);
    }
  }

  const absl::string_view path = req.Path();
  const bool get = req.method == "GET" || req.method == "HEAD";
  auto fixed = [&](const char* label) {
    call->route_label = label;
    if (!get) {
      HttpResponse response =
          ErrorResponse(absl::FailedPreconditionError("method not allowed"),
                        call->request_id);
      response.status = 405;
      response.SetHeader("allow", "GET");
      Finish(*call, std::move(response));
      return false;
    }
    return true;
  };
  if (path == "/healthz") {
    if (fixed("/healthz")) {
      Finish(*call, JsonResponse(200, R"({"status":"alive"})"));
    }
    return;
  }
  if (path == "/readyz") {
    if (fixed("/readyz")) HandleReady(call);
    return;
  }
  if (path == "/metrics") {
    if (fixed("/metrics")) {
      HttpResponse response;
      response.body = metrics_registry_.Render();
      response.SetHeader("content-type", "text/plain; version=0.0.4");
      Finish(*call, std::move(response));
    }
    return;
  }
  if (path == "/openapi.json") {
    if (fixed("/openapi.json")) {
      HttpResponse response = JsonResponse(200, openapi_json_);
      response.SetHeader("cache-control", "public, max-age=300");
      Finish(*call, std::move(response));
    }
    return;
  }
  if (path == "/.well-known/jwks.json") {
    if (fixed("/.well-known/jwks.json")) HandleJwks(call);
    return;
  }
  if (absl::StartsWith(path, "/s/")) {
    if (fixed("/s/{code}")) HandleShortLink(call, path.substr(3));
    return;
  }
  if (req.method == "OPTIONS") {
    HandlePreflight(call);
    return;
  }
  HandleApi(call);
}

void Gateway::Finish(Call& call, HttpResponse response) {
  response.SetHeader("x-request-id", call.request_id);
  if (!call.cors_origin.empty()) {
    response.SetHeader("access-control-allow-origin", call.cors_origin);
    response.SetHeader("access-control-expose-headers",
                       "x-request-id, retry-after");
  }
  response.SetHeader("vary", "Origin");
  bool has_nosniff = false;
  for (const auto& header : response.headers) {
    has_nosniff |= header.first == "x-content-type-options";
  }
  if (!has_nosniff) response.SetHeader("x-content-type-options", "nosniff");
  const absl::Duration elapsed = absl::Now() - call.start;
  const std::string status = absl::StrCat(response.status);
  requests_.Increment({call.route_label, status});
  latency_.Observe({call.route_label}, absl::ToDoubleSeconds(elapsed));
  if (options_.access_log) {
    logging::Info("request",
                  {{"request_id", call.request_id},
                   {"method", call.request.method},
                   {"path", std::string(call.request.Path().substr(0, 256))},
                   {"route", call.route_label},
                   {"status", response.status},
                   {"duration_ms", absl::ToDoubleMilliseconds(elapsed)},
                   {"tenant", call.tenant},
                   {"caller", call.caller}});
  }
  Respond respond = std::move(call.respond);
  respond(std::move(response));
}

void Gateway::Fail(Call& call, const absl::Status& status) {
  Finish(call, ErrorResponse(status, call.request_id));
}

std::string Gateway::ClientAddress(const HttpRequest& request) const {
  if (options_.forwarded_for_hops > 0) {
    std::optional<absl::string_view> forwarded =
        request.Header("x-forwarded-for");
    if (forwarded.has_value()) {
      std::vector<absl::string_view> hops = absl::StrSplit(*forwarded, ',');
      if (static_cast<int>(hops.size()) >= options_.forwarded_for_hops) {
        absl::string_view candidate = absl::StripAsciiWhitespace(
            hops[hops.size() - options_.forwarded_for_hops]);
        if (IsAddress(candidate)) return std::string(candidate);
      }
    }
  }
  return request.peer_address;
}

std::string Gateway::RouteClass(const Route& route) const {
  auto it = options_.route_classes.find(route.method->full_name());
  if (it != options_.route_classes.end()) return it->second;
  return route.http_method == "GET" ? "read" : "write";
}

void Gateway::CallUpstream(
    const Route& route, std::string request, const Call& call,
    std::optional<std::string> authorization,
    std::function<void(const absl::Status&, std::string)> done,
    std::optional<absl::Duration> deadline) {
  Upstream* upstream =
      upstreams_.ForService(route.method->service()->full_name());
  if (upstream == nullptr) {
    done(absl::UnavailableError("no upstream for this service"), "");
    return;
  }
  const std::string client_address = ClientAddress(call.request);
  CallUnary(
      upstream->Stub(), route.grpc_path, std::move(request),
      [&](grpc::ClientContext& context) {
        context.set_deadline(absl::ToChronoTime(
            absl::Now() + deadline.value_or(options_.deadline)));
        if (authorization.has_value()) {
          context.AddMetadata("authorization", *authorization);
        }
        context.AddMetadata(server::kRequestIdHeader, call.request_id);
        if (!call.traceparent.empty()) {
          context.AddMetadata(server::kTraceparentHeader, call.traceparent);
          if (!call.tracestate.empty()) {
            context.AddMetadata("tracestate", call.tracestate);
          }
        }
        if (IsAddress(client_address)) {
          context.AddMetadata("x-forwarded-for", client_address);
        }
      },
      [this, upstream, done = std::move(done)](const grpc::Status& grpc_status,
                                               std::string response) {
        absl::Status status = agora::status::FromGrpcStatus(grpc_status);
        if (!status.ok()) {
          upstream_errors_.Increment(
              {upstream->prefix(), CodeName(status.code())});
        }
        done(status, std::move(response));
      });
}

void Gateway::HandleApi(std::shared_ptr<Call> call) {
  const HttpRequest& req = call->request;
  const std::string host_tenant =
      tenant_hosts_.TenantOf(req.Header("host").value_or(""));
  const absl::string_view path = req.Path();
  absl::StatusOr<RouteMatch> match = routes_.Find(req.method, path);
  if (!match.ok() && match.status().code() == absl::StatusCode::kNotFound &&
      !host_tenant.empty() && absl::StartsWith(path, "/v1/") &&
      !absl::StartsWith(path, "/v1/tenants/")) {
    // On a tenant's host, "/v1/posts" is "/v1/tenants/{host's}/posts".
    const std::string rewritten =
        absl::StrCat("/v1/tenants/", host_tenant, path.substr(3));
    absl::StatusOr<RouteMatch> second = routes_.Find(req.method, rewritten);
    if (second.ok() || second.status().code() != absl::StatusCode::kNotFound) {
      match = std::move(second);
    }
  }
  if (!match.ok()) {
    if (match.status().code() == absl::StatusCode::kFailedPrecondition) {
      HttpResponse response = ErrorResponse(
          absl::FailedPreconditionError("method not allowed for this path"),
          call->request_id);
      response.status = 405;
      response.SetHeader("allow",
                         absl::StrJoin(routes_.AllowedMethods(path), ", "));
      Finish(*call, std::move(response));
    } else if (match.status().code() == absl::StatusCode::kNotFound) {
      Fail(*call, absl::NotFoundError("no API route for this path"));
    } else {
      Fail(*call, match.status());
    }
    return;
  }
  const Route& route = *match->route;
  call->route_label = route.method->full_name();
  const std::string path_tenant = TenantOfBindings(match->bindings);
  if (!path_tenant.empty() && !host_tenant.empty() &&
      path_tenant != host_tenant) {
    Fail(*call, absl::InvalidArgumentError(
                    "tenant: the path names another tenant than the host"));
    return;
  }
  call->tenant = path_tenant.empty() ? host_tenant : path_tenant;
  if (std::optional<absl::string_view> origin = req.Header("origin");
      origin.has_value() && cors_.Allows(call->tenant, *origin)) {
    call->cors_origin = std::string(*origin);
  }

  // Authentication: a token, when there is one, must be valid, whatever the
  // route; without one only public reads and the listed methods pass. The
  // service checks the token again.
  std::optional<std::string> authorization;
  std::optional<auth::Principal> principal;
  if (req.HeaderCount("authorization") > 1) {
    Fail(*call,
         absl::UnauthenticatedError("more than one authorization header"));
    return;
  }
  if (std::optional<absl::string_view> header = req.Header("authorization");
      header.has_value()) {
    absl::StatusOr<auth::Principal> verified =
        auth::AuthenticateAuthorizationHeader(*header, verifier_);
    if (!verified.ok()) {
      Fail(*call, verified.status());
      return;
    }
    principal = *std::move(verified);
    authorization = std::string(*header);
    call->caller = absl::StrCat(principal->tenant, "/", principal->subject);
  } else if (route.http_method != "GET" &&
             !options_.anonymous_methods.contains(route.method->full_name())) {
    Fail(*call, absl::UnauthenticatedError("missing bearer token"));
    return;
  }
  if (principal.has_value() && !call->tenant.empty()) {
    if (absl::Status allowed = auth::RequireTenant(*principal, call->tenant);
        !allowed.ok()) {
      Fail(*call, absl::PermissionDeniedError(
                      "the token does not act in this tenant"));
      return;
    }
  }

  if (rate_limiter_ != nullptr) {
    const std::string route_class = RouteClass(route);
    const std::string caller =
        principal.has_value()
            ? absl::StrCat("m:", principal->tenant, "/", principal->subject)
            : absl::StrCat("a:", ClientAddress(req));
    absl::StatusOr<RateLimiter::Decision> decision =
        rate_limiter_->Take(call->tenant, route_class, caller);
    if (!decision.ok()) {
      // Redis down: serve rather than refuse everyone; services keep their
      // own limits (logins, votes) behind.
      rate_limiter_errors_.Increment({});
    } else if (!decision->allowed) {
      rate_limited_.Increment({route_class});
      Fail(*call,
           status::WithRetryDelay(
               status::WithReason(
                   absl::ResourceExhaustedError(absl::StrCat(
                       "rate limit of ", route_class, " requests exceeded")),
                   "RATE_LIMITED"),
               decision->retry_after));
      return;
    }
  }

  absl::StatusOr<std::string> request_bytes =
      transcoder_.RequestBytes(*match, req.Query(), req.body);
  if (!request_bytes.ok()) {
    Fail(*call, request_bytes.status());
    return;
  }
  CallUpstream(
      route, *std::move(request_bytes), *call, std::move(authorization),
      [this, call, &route](const absl::Status& status, std::string response) {
        if (!status.ok()) {
          Fail(*call, status);
          return;
        }
        absl::StatusOr<std::string> json =
            transcoder_.ResponseJson(route, response);
        if (!json.ok()) {
          Fail(*call, json.status());
          return;
        }
        Finish(*call, JsonResponse(200, *std::move(json)));
      });
}

void Gateway::HandleReady(std::shared_ptr<Call> call) {
  nlohmann::json services = nlohmann::json::object();
  bool ready = !draining_.load();
  for (const std::unique_ptr<Upstream>& upstream : upstreams_.all()) {
    services[upstream->prefix()] =
        upstream->serving() ? "SERVING" : "NOT_SERVING";
    ready = ready && upstream->serving();
  }
  nlohmann::json body = {
      {"status",
       ready ? "ready" : (draining_.load() ? "draining" : "not ready")},
      {"services", services}};
  Finish(*call, JsonResponse(ready ? 200 : 503, body.dump()));
}

absl::StatusOr<std::string> Gateway::FetchJwks() {
  return CallJson(options_.get_jwks_method, "{}");
}

absl::StatusOr<std::string> Gateway::CallJson(
    absl::string_view method_full_name, absl::string_view json,
    std::optional<std::string> authorization, absl::Duration deadline) {
  const Route* route = routes_.ForMethod(method_full_name);
  if (route == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(method_full_name, " is not served"));
  }
  absl::StatusOr<std::string> request =
      transcoder_.JsonToBytes(route->method->input_type(), json);
  if (!request.ok()) return request.status();
  Call call;
  call.request_id = server::NewRequestId();
  absl::Notification done;
  absl::StatusOr<std::string> result;
  CallUpstream(
      *route, *std::move(request), call, std::move(authorization),
      [&](const absl::Status& status, std::string response) {
        if (!status.ok()) {
          result = status;
        } else {
          result =
              transcoder_.BytesToJson(route->method->output_type(), response);
        }
        done.Notify();
      },
      deadline);
  done.WaitForNotification();
  return result;
}

void Gateway::HandleJwks(std::shared_ptr<Call> call) {
  {
    absl::MutexLock lock(&jwks_mu_);
    if (absl::Now() - jwks_fetched_ < absl::Seconds(60)) {
      HttpResponse response = JsonResponse(200, jwks_cache_);
      response.SetHeader("cache-control", "public, max-age=300");
      Finish(*call, std::move(response));
      return;
    }
  }
  const Route* route = routes_.ForMethod(options_.get_jwks_method);
  if (route == nullptr) {
    Fail(*call, absl::UnavailableError("identity is not configured"));
    return;
  }
  CallUpstream(
      *route, std::string(), *call, std::nullopt,
      [this, call, route](const absl::Status& status, std::string response) {
        absl::StatusOr<std::string> json =
            status.ok() ? transcoder_.ResponseJson(*route, response)
                        : absl::StatusOr<std::string>(status);
        if (!json.ok()) {
          Fail(*call, json.status());
          return;
        }
        {
          absl::MutexLock lock(&jwks_mu_);
          jwks_cache_ = *json;
          jwks_fetched_ = absl::Now();
        }
        HttpResponse out = JsonResponse(200, *std::move(json));
        out.SetHeader("cache-control", "public, max-age=300");
        Finish(*call, std::move(out));
      });
}

void Gateway::HandleShortLink(std::shared_ptr<Call> call,
                              absl::string_view code) {
  const HttpRequest& req = call->request;
  call->tenant = tenant_hosts_.TenantOf(req.Header("host").value_or(""));
  if (call->tenant.empty() || !IsShortCode(code)) {
    Finish(*call, HtmlPage(404, "Link not found"));
    return;
  }
  const Route* route = routes_.ForMethod(options_.resolve_short_link_method);
  if (route == nullptr || service_tokens_ == nullptr) {
    Finish(*call, HtmlPage(503, "Temporarily unavailable"));
    return;
  }
  absl::StatusOr<std::string> token = service_tokens_->TokenFor(call->tenant);
  if (!token.ok()) {
    logging::Warn("no service token for short links",
                  {{"tenant", call->tenant},
                   {"error", std::string(token.status().message())}});
    Finish(*call, HtmlPage(503, "Temporarily unavailable"));
    return;
  }
  std::string user_agent(req.Header("user-agent").value_or("").substr(0, 512));
  user_agent.erase(std::remove_if(user_agent.begin(), user_agent.end(),
                                  [](char c) { return c < 0x20 || c >= 0x7f; }),
                   user_agent.end());
  const nlohmann::json resolve = {
      {"name", absl::StrCat("tenants/", call->tenant, "/shortLinks/", code)},
      {"visitorKey",
       VisitorKey(options_.visitor_key_secret, ClientAddress(req), user_agent)},
      {"userAgent", user_agent},
      {"referrerHost", RefererHost(req.Header("referer").value_or(""))}};
  absl::StatusOr<std::string> bytes =
      transcoder_.JsonToBytes(route->method->input_type(), resolve.dump());
  if (!bytes.ok()) {
    Finish(*call, HtmlPage(500, "Error"));
    return;
  }
  CallUpstream(
      *route, *std::move(bytes), *call, absl::StrCat("Bearer ", *token),
      [this, call, route](const absl::Status& status, std::string response) {
        if (!status.ok()) {
          switch (status.code()) {
            case absl::StatusCode::kNotFound:
            case absl::StatusCode::kInvalidArgument:
              Finish(*call, HtmlPage(404, "Link not found"));
              return;
            case absl::StatusCode::kResourceExhausted: {
              HttpResponse page = HtmlPage(429, "Too many requests");
              page.SetHeader("retry-after", "60");
              Finish(*call, std::move(page));
              return;
            }
            default:
              Finish(*call, HtmlPage(503, "Temporarily unavailable"));
              return;
          }
        }
        absl::StatusOr<std::string> json =
            transcoder_.BytesToJson(route->method->output_type(), response);
        nlohmann::json answer =
            json.ok() ? nlohmann::json::parse(*json, nullptr, false)
                      : nlohmann::json();
        if (!answer.is_object()) {
          Finish(*call, HtmlPage(502, "Error"));
          return;
        }
        const std::string redirect = answer.value("redirectUrl", "");
        if (answer.value("bot", false)) {
          HttpResponse page;
          page.body = PreviewPage(
              answer.value("preview", nlohmann::json::object()), redirect);
          page.SetHeader("content-type", "text/html; charset=utf-8");
          page.SetHeader("cache-control", "no-store");
          SetHtmlSecurityHeaders(page);
          Finish(*call, std::move(page));
          return;
        }
        if (!IsSafeRedirectUrl(redirect)) {
          // The share service only returns the tenant's allowed hosts;
          // anything else is a bug there, never forwarded.
          logging::Error("short link resolved to an unsafe redirect",
                         {{"tenant", call->tenant}});
          Finish(*call, HtmlPage(502, "Error"));
          return;
        }
        HttpResponse found = HtmlPage(302, "Found");
        found.SetHeader("location", redirect);
        Finish(*call, std::move(found));
      });
}

void Gateway::HandlePreflight(std::shared_ptr<Call> call) {
  const HttpRequest& req = call->request;
  call->route_label = "preflight";
  const std::optional<absl::string_view> origin = req.Header("origin");
  const std::optional<absl::string_view> method =
      req.Header("access-control-request-method");
  const std::vector<std::string> allowed = routes_.AllowedMethods(req.Path());
  if (allowed.empty()) {
    Fail(*call, absl::NotFoundError("no API route for this path"));
    return;
  }
  std::string tenant = tenant_hosts_.TenantOf(req.Header("host").value_or(""));
  if (method.has_value()) {
    absl::StatusOr<RouteMatch> match = routes_.Find(*method, req.Path());
    if (match.ok()) {
      if (std::string named = TenantOfBindings(match->bindings);
          !named.empty()) {
        tenant = named;
      }
    }
  }
  call->tenant = tenant;
  if (!origin.has_value() || !cors_.Allows(tenant, *origin)) {
    Fail(*call, absl::PermissionDeniedError("origin not allowed"));
    return;
  }
  call->cors_origin = std::string(*origin);
  HttpResponse response;
  response.status = 204;
  response.SetHeader("access-control-allow-methods",
                     absl::StrJoin(allowed, ", "));
  response.SetHeader("access-control-allow-headers",
                     "authorization, content-type, x-request-id, "
                     "traceparent, tracestate");
  response.SetHeader("access-control-max-age", "600");
  Finish(*call, std::move(response));
}

}  // namespace agora::gateway
