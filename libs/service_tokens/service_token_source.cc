#include "libs/service_tokens/service_token_source.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "agora/identity/v1/identity.grpc.pb.h"
#include "libs/auth/roles.h"
#include "libs/status/grpc_status.h"

namespace agora::service_tokens {
namespace {

// A token and when to stop using it.
struct CachedToken {
  std::string token;
  absl::Time refresh_at;
};

// Per-tenant cache around a function that fetches a token and its expiry.
class TokenCache {
 public:
  using Fetch =
      std::function<absl::StatusOr<std::pair<std::string, absl::Time>>(
          const std::string& tenant)>;

  explicit TokenCache(Fetch fetch) : fetch_(std::move(fetch)) {}

  absl::StatusOr<std::string> Get(const std::string& tenant) {
    const absl::Time now = absl::Now();
    {
      absl::MutexLock lock(&mutex_);
      auto it = tokens_.find(tenant);
      if (it != tokens_.end() && now < it->second.refresh_at) {
        return it->second.token;
      }
    }
    // Fetched outside the lock: a slow identity never blocks the tenants
    // whose tokens are cached. Two threads may fetch at once; both tokens
    // are valid.
    absl::StatusOr<std::pair<std::string, absl::Time>> fetched = fetch_(tenant);
    if (!fetched.ok()) return fetched.status();
    absl::MutexLock lock(&mutex_);
    tokens_[tenant] = {fetched->first, fetched->second - absl::Minutes(1)};
    return fetched->first;
  }

 private:
  Fetch fetch_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, CachedToken> tokens_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

ServiceTokenSource IdentityTokenSource(std::shared_ptr<grpc::Channel> identity,
                                       std::string service_account,
                                       std::string client_secret,
                                       std::vector<std::string> scopes,
                                       absl::Duration deadline) {
  std::shared_ptr<identity::v1::IdentityService::Stub> stub =
      identity::v1::IdentityService::NewStub(std::move(identity));
  auto cache = std::make_shared<TokenCache>(
      [stub, service_account = std::move(service_account),
       client_secret = std::move(client_secret), scopes = std::move(scopes),
       deadline](const std::string& tenant)
          -> absl::StatusOr<std::pair<std::string, absl::Time>> {
        identity::v1::IssueServiceAccountTokenRequest request;
        request.set_service_account(service_account);
        request.set_client_secret(client_secret);
        for (const std::string& scope : scopes) request.add_scopes(scope);
        request.set_tenant("tenants/" + tenant);
        grpc::ClientContext call;
        call.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
        identity::v1::ServiceAccountToken token;
        const grpc::Status status =
            stub->IssueServiceAccountToken(&call, request, &token);
        if (!status.ok()) return status::FromGrpcStatus(status);
        return std::make_pair(
            token.access_token(),
            absl::FromUnixMicros(
                google::protobuf::util::TimeUtil::TimestampToMicroseconds(
                    token.expire_time())));
      });
  return [cache](const std::string& tenant) { return cache->Get(tenant); };
}

ServiceTokenSource SignedTokenSource(
    std::shared_ptr<const auth::JwtSigner> signer, SignedTokenOptions options) {
  auto cache = std::make_shared<TokenCache>(
      [signer = std::move(signer),
       options = std::move(options)](const std::string& tenant)
          -> absl::StatusOr<std::pair<std::string, absl::Time>> {
        auth::Claims claims;
        claims.issuer = options.issuer;
        claims.audience = {options.audience};
        claims.subject = options.subject;
        claims.tenant = tenant;
        claims.roles = {auth::kRoleService};
        claims.scopes = options.scopes;
        claims.issued_at = absl::Now();
        claims.expires_at = absl::Now() + options.ttl;
        absl::StatusOr<std::string> token = signer->Sign(claims);
        if (!token.ok()) return token.status();
        return std::make_pair(*token, claims.expires_at);
      });
  return [cache](const std::string& tenant) { return cache->Get(tenant); };
}

}  // namespace agora::service_tokens
