// agora-gateway: HTTP/JSON in front of Agora's gRPC services, built from the
// google.api.http annotations of the descriptor set (see README.md).
//   agora-gateway --listen=0.0.0.0:8080
//     --upstreams=agora.identity.v1=identity:50051,agora.ranking.v1=...
// Every flag may also be set as AGORA_<FLAG>.
#include <signal.h>

#include <fstream>
#include <random>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gateway/contracts.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "gateway/openapi.h"
#include "gateway/rate_limiter.h"
#include "gateway/route_table.h"
#include "gateway/short_links.h"
#include "gateway/tenancy.h"
#include "gateway/upstreams.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks_key_source.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/flags.h"
#include "libs/config/secret.h"
#include "libs/logging/log.h"
#include "libs/redis/client.h"
#include "libs/server/metrics.h"
#include "libs/server/server_flags.h"

ABSL_FLAG(std::string, descriptor_set, AGORA_DEFAULT_DESCRIPTOR_SET,
          "Descriptor sets of the contracts, comma-separated (protoc "
          "--include_imports --include_source_info)");
ABSL_FLAG(std::string, upstreams, "",
          "Services served: <package or service>=<gRPC address>,... e.g. "
          "agora.identity.v1=127.0.0.1:50051");
ABSL_FLAG(int, channels_per_upstream, 2,
          "gRPC channels (connections) per upstream");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(10),
          "Deadline of every upstream call");
ABSL_FLAG(int, http_threads, 0, "Event loops (threads); 0: one per core");
ABSL_FLAG(int, max_header_bytes, 16 * 1024, "Largest request header (431)");
ABSL_FLAG(int, max_body_bytes, 1024 * 1024, "Largest request body (413)");
ABSL_FLAG(absl::Duration, http_read_timeout, absl::Seconds(30),
          "Longest a request may take to arrive, and an idle keep-alive");
ABSL_FLAG(int, max_connections, 10000, "Most open client connections");
ABSL_FLAG(std::string, jwks_file, "",
          "JWKS of identity's signing keys as a file; empty: identity's "
          "GetJwks");
ABSL_FLAG(std::string, token_issuer, "agora-identity",
          "Required iss of access tokens");
ABSL_FLAG(std::string, token_audience, "agora",
          "Required aud of access tokens");
ABSL_FLAG(std::string, redis_address, "",
          "Redis host:port of the rate limits; empty: no rate limits");
ABSL_FLAG(std::string, redis_key_prefix, "agora", "Prefix of Redis keys");
ABSL_FLAG(std::string, rate_limits,
          "read=1200/1m,write=300/1m,vote=600/1m,post=30/1m,login=10/1m",
          "Requests per period per caller and route class");
ABSL_FLAG(std::string, rate_limit_classes,
          "agora.ranking.v1.RankingService.CastVote=vote,"
          "agora.ranking.v1.RankingService.RetractVote=vote,"
          "agora.content.v1.ContentService.CreatePost=post,"
          "agora.content.v1.ContentService.UpdatePost=post,"
          "agora.identity.v1.IdentityService.Login=login,"
          "agora.identity.v1.IdentityService.SignUp=login,"
          "agora.identity.v1.IdentityService.RequestPasswordReset=login,"
          "agora.identity.v1.IdentityService.ConfirmPasswordReset=login,"
          "agora.identity.v1.IdentityService.ResendVerificationEmail=login,"
          "agora.identity.v1.IdentityService.IssueServiceAccountToken=login",
          "Route class of methods (others: read for GET, write)");
ABSL_FLAG(std::vector<std::string>, anonymous_methods,
          std::vector<std::string>(
              {"agora.identity.v1.IdentityService.SignUp",
               "agora.identity.v1.IdentityService.VerifyEmail",
               "agora.identity.v1.IdentityService.ResendVerificationEmail",
               "agora.identity.v1.IdentityService.Login",
               "agora.identity.v1.IdentityService.RefreshSession",
               "agora.identity.v1.IdentityService.Logout",
               "agora.identity.v1.IdentityService.RequestPasswordReset",
               "agora.identity.v1.IdentityService.ConfirmPasswordReset",
               "agora.identity.v1.IdentityService.StartSocialLogin",
               "agora.identity.v1.IdentityService.FinishSocialLogin",
               "agora.identity.v1.IdentityService.IssueServiceAccountToken",
               "agora.share.v1.ShareService.CreateShareLinks"}),
          "Methods callable without a token besides GETs");
ABSL_FLAG(std::string, tenant_hosts, "",
          "Hosts naming a tenant: <host>=<tenant>,...");
ABSL_FLAG(std::string, tenant_host_suffix, "",
          "Hosts <tenant><suffix> name their tenant, e.g. .agora.example");
ABSL_FLAG(std::string, cors_origins, "",
          "Browser origins per tenant: <tenant|*>=<origin>|<origin>,...");
ABSL_FLAG(int, forwarded_for_hops, 0,
          "Client address from X-Forwarded-For, this many entries from the "
          "right (1: set by the ingress); 0: the peer address");
ABSL_FLAG(bool, access_log, true, "One JSON log line per request");
ABSL_FLAG(std::string, visitor_key_secret, "",
          "Secret (file:... or env:...) of /s/ visitor keys; empty: random "
          "per process");
ABSL_FLAG(std::string, service_account, "",
          "The gateway's service account (serviceAccounts/<id>) for "
          "share.resolve tokens");
ABSL_FLAG(std::string, service_account_secret, "",
          "Its secret (file:... or env:...)");
ABSL_FLAG(std::string, dev_signing_key, "",
          "DEVELOPMENT ONLY: a PEM Ed25519 key (agora-devtoken's) the "
          "gateway signs its own share.resolve tokens with");

namespace {

using agora::gateway::IssuedToken;

int Fail(const std::string& what) {
  agora::logging::Error("gateway cannot start", {{"error", what}});
  return 1;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  agora::config::ParseFlags(
      argc, argv, "agora-gateway: HTTP/JSON to Agora's gRPC services");
  const agora::server::ServerOptions server_options =
      agora::server::ServerOptionsFromFlags(8080);
  agora::logging::Init("gateway", agora::server::LogLevelFlag());
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles
  // (GraphCycles::GetId showed in the request path's profile): off, as in
  // an optimised Abseil build.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // SIGTERM and SIGINT are waited for below; blocked before any thread
  // starts so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<agora::gateway::Contracts>> contracts =
      agora::gateway::Contracts::Load(absl::StrSplit(
          absl::GetFlag(FLAGS_descriptor_set), ',', absl::SkipEmpty()));
  if (!contracts.ok()) return Fail(std::string(contracts.status().message()));
  absl::StatusOr<std::vector<agora::gateway::UpstreamConfig>> configs =
      agora::gateway::ParseUpstreams(absl::GetFlag(FLAGS_upstreams));
  if (!configs.ok()) return Fail(std::string(configs.status().message()));
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const agora::gateway::UpstreamConfig& config : *configs) {
    std::vector<const google::protobuf::ServiceDescriptor*> found =
        agora::gateway::ServicesWithPrefix(
            (*contracts)->pool(), (*contracts)->files(), config.prefix);
    if (found.empty()) {
      return Fail("upstream " + config.prefix +
                  " names no service of the descriptor set");
    }
    services.insert(services.end(), found.begin(), found.end());
  }
  absl::StatusOr<agora::gateway::RouteTable> routes =
      agora::gateway::RouteTable::Build((*contracts)->pool(), services);
  if (!routes.ok()) return Fail(std::string(routes.status().message()));
  const std::string openapi =
      agora::gateway::OpenApiDocument(*routes, "Agora API", "v1").dump(1);

  absl::StatusOr<agora::gateway::TenantHosts> tenant_hosts =
      agora::gateway::TenantHosts::Parse(
          absl::GetFlag(FLAGS_tenant_hosts),
          absl::GetFlag(FLAGS_tenant_host_suffix));
  if (!tenant_hosts.ok())
    return Fail(std::string(tenant_hosts.status().message()));
  absl::StatusOr<agora::gateway::CorsPolicy> cors =
      agora::gateway::CorsPolicy::Parse(absl::GetFlag(FLAGS_cors_origins));
  if (!cors.ok()) return Fail(std::string(cors.status().message()));

  agora::gateway::GatewayOptions options;
  options.deadline = absl::GetFlag(FLAGS_deadline);
  for (const std::string& method : absl::GetFlag(FLAGS_anonymous_methods)) {
    options.anonymous_methods.insert(method);
  }
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> classes =
      agora::gateway::ParseRouteClasses(
          absl::GetFlag(FLAGS_rate_limit_classes));
  if (!classes.ok()) return Fail(std::string(classes.status().message()));
  options.route_classes = *std::move(classes);
  options.forwarded_for_hops = absl::GetFlag(FLAGS_forwarded_for_hops);
  options.access_log = absl::GetFlag(FLAGS_access_log);
  if (const std::string secret = absl::GetFlag(FLAGS_visitor_key_secret);
      !secret.empty()) {
    absl::StatusOr<std::string> value = agora::config::ReadSecret(secret);
    if (!value.ok())
      return Fail("visitor_key_secret: " +
                  std::string(value.status().message()));
    options.visitor_key_secret = *std::move(value);
  } else {
    std::random_device random;
    // Only worth a warning where short links are served.
    const bool serves_short_links =
        routes->ForMethod(options.resolve_short_link_method) != nullptr;
    for (int i = 0; i < 32; ++i) {
      options.visitor_key_secret.push_back(static_cast<char>(random()));
    }
    if (serves_short_links) {
      agora::logging::Warn(
          "no --visitor_key_secret: short-link visitors are counted per "
          "process, not across replicas and restarts");
    }
  }

  agora::gateway::Upstreams upstreams(
      *configs, absl::GetFlag(FLAGS_channels_per_upstream));

  std::unique_ptr<agora::redis::RedisClient> redis;
  std::unique_ptr<agora::gateway::RateLimiter> rate_limiter;
  if (const std::string address = absl::GetFlag(FLAGS_redis_address);
      !address.empty()) {
    absl::StatusOr<agora::redis::RedisOptions> redis_options =
        agora::redis::ParseAddress(address);
    if (!redis_options.ok())
      return Fail(std::string(redis_options.status().message()));
    // A rate limit check must never hold a request long: past these, the
    // request goes through unlimited.
    redis_options->command_timeout = absl::Milliseconds(200);
    redis_options->acquire_timeout = absl::Milliseconds(200);
    redis_options->pool_size = 64;
    redis = std::make_unique<agora::redis::RedisClient>(*redis_options);
    absl::StatusOr<absl::flat_hash_map<std::string, agora::gateway::RateLimit>>
        limits =
            agora::gateway::ParseRateLimits(absl::GetFlag(FLAGS_rate_limits));
    if (!limits.ok()) return Fail(std::string(limits.status().message()));
    rate_limiter = std::make_unique<agora::gateway::RateLimiter>(
        *redis, absl::GetFlag(FLAGS_redis_key_prefix), *std::move(limits));
  }

  agora::gateway::Gateway* gateway_for_keys = nullptr;
  const std::string jwks_file = absl::GetFlag(FLAGS_jwks_file);
  auto keys = std::make_shared<agora::auth::JwksKeySource>(
      [&jwks_file, &gateway_for_keys]() -> absl::StatusOr<std::string> {
        if (!jwks_file.empty()) return ReadFile(jwks_file);
        if (gateway_for_keys == nullptr) {
          return absl::UnavailableError("gateway not started");
        }
        return gateway_for_keys->FetchJwks();
      });
  agora::auth::JwtVerifierOptions verifier_options;
  verifier_options.issuer = absl::GetFlag(FLAGS_token_issuer);
  verifier_options.audience = absl::GetFlag(FLAGS_token_audience);
  agora::auth::JwtVerifier verifier(verifier_options, keys);

  // Service-account tokens of /s/{code}: identity's client-credentials
  // exchange, or (development) tokens the gateway signs itself.
  std::unique_ptr<agora::gateway::ServiceTokens> service_tokens;
  std::unique_ptr<agora::auth::JwtSigner> dev_signer;
  if (const std::string pem_path = absl::GetFlag(FLAGS_dev_signing_key);
      !pem_path.empty()) {
    absl::StatusOr<std::string> pem = ReadFile(pem_path);
    if (!pem.ok()) return Fail(std::string(pem.status().message()));
    absl::StatusOr<agora::auth::Ed25519PrivateKey> key =
        agora::auth::Ed25519PrivateKey::FromPem(*pem);
    if (!key.ok()) return Fail("dev_signing_key: not an Ed25519 PEM key");
    dev_signer = std::make_unique<agora::auth::JwtSigner>(*std::move(key));
    agora::logging::Warn("signing share.resolve tokens with a development key");
    service_tokens = std::make_unique<agora::gateway::ServiceTokens>(
        [&dev_signer, verifier_options](
            absl::string_view tenant) -> absl::StatusOr<IssuedToken> {
          agora::auth::Claims claims;
          claims.issuer = verifier_options.issuer;
          claims.audience = {verifier_options.audience};
          claims.subject = "agora-gateway";
          claims.tenant = std::string(tenant);
          claims.roles = {"service"};
          claims.scopes = {"share.resolve"};
          claims.issued_at = absl::Now();
          claims.expires_at = absl::Now() + absl::Minutes(15);
          absl::StatusOr<std::string> token = dev_signer->Sign(claims);
          if (!token.ok()) return token.status();
          return IssuedToken{*std::move(token), claims.expires_at};
        });
  }
  agora::gateway::Gateway* gateway_for_tokens = nullptr;
  std::string service_account_secret;
  if (const std::string account = absl::GetFlag(FLAGS_service_account);
      !account.empty() && service_tokens == nullptr) {
    absl::StatusOr<std::string> secret =
        agora::config::ReadSecret(absl::GetFlag(FLAGS_service_account_secret));
    if (!secret.ok())
      return Fail("service_account_secret: " +
                  std::string(secret.status().message()));
    service_account_secret = *std::move(secret);
    service_tokens = std::make_unique<
        agora::gateway::ServiceTokens>([account, &service_account_secret,
                                        &gateway_for_tokens](
                                           absl::string_view tenant)
                                           -> absl::StatusOr<IssuedToken> {
      const nlohmann::json request = {
          {"serviceAccount", account},
          {"clientSecret", service_account_secret},
          {"scopes", {"share.resolve"}},
          {"tenant", "tenants/" + std::string(tenant)}};
      absl::StatusOr<std::string> answer = gateway_for_tokens->CallJson(
          "agora.identity.v1.IdentityService.IssueServiceAccountToken",
          request.dump());
      if (!answer.ok()) return answer.status();
      nlohmann::json token = nlohmann::json::parse(*answer, nullptr, false);
      absl::Time expires_at;
      std::string error;
      if (!token.is_object() || !token.contains("accessToken") ||
          !absl::ParseTime(absl::RFC3339_full, token.value("expireTime", ""),
                           &expires_at, &error)) {
        return absl::InternalError(
            "unexpected IssueServiceAccountToken answer");
      }
      return IssuedToken{token["accessToken"].get<std::string>(), expires_at};
    });
  }

  agora::server::MetricsRegistry metrics;
  agora::gateway::Gateway gateway(
      options, **contracts, *routes, upstreams, verifier, rate_limiter.get(),
      service_tokens.get(), *std::move(tenant_hosts), *std::move(cors), metrics,
      openapi);
  gateway_for_keys = &gateway;
  gateway_for_tokens = &gateway;
  upstreams.StartHealthChecks(server_options.health_interval);
  // Keys before the first request, which would otherwise wait for them.
  if (absl::Status loaded = keys->Refresh(); !loaded.ok()) {
    agora::logging::Warn("token keys not loaded yet",
                         {{"error", std::string(loaded.message())}});
  }

  agora::gateway::HttpServerOptions http_options;
  const std::string& listen = server_options.listen_address;
  const size_t colon = listen.rfind(':');
  http_options.address = listen.substr(0, colon);
  if (http_options.address.size() >= 2 && http_options.address.front() == '[') {
    http_options.address =
        http_options.address.substr(1, http_options.address.size() - 2);
  }
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &http_options.port)) {
    return Fail("listen: not host:port");
  }
  http_options.threads = absl::GetFlag(FLAGS_http_threads);
  http_options.max_header_bytes = absl::GetFlag(FLAGS_max_header_bytes);
  http_options.max_body_bytes = absl::GetFlag(FLAGS_max_body_bytes);
  http_options.read_timeout = absl::GetFlag(FLAGS_http_read_timeout);
  http_options.max_connections = absl::GetFlag(FLAGS_max_connections);
  agora::gateway::HttpServer server(
      http_options, [&gateway](agora::gateway::HttpRequest request,
                               agora::gateway::Respond respond) {
        gateway.Handle(std::move(request), std::move(respond));
      });
  if (absl::Status started = server.Start(); !started.ok()) {
    return Fail(std::string(started.message()));
  }
  agora::logging::Info("gateway listening",
                       {{"address", http_options.address},
                        {"port", server.port()},
                        {"routes", static_cast<int>(routes->routes().size())},
                        {"upstreams", static_cast<int>(configs->size())}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  agora::logging::Info("draining", {{"signal", signal_number}});
  gateway.StartDraining();
  absl::SleepFor(server_options.drain_grace);
  server.Shutdown(server_options.shutdown_deadline);
  agora::logging::Info("stopped");
  return 0;
}
