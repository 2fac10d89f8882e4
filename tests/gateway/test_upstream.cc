#include "tests/gateway/test_upstream.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>

#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "agora/gatewaytest/v1/test_service.grpc.pb.h"
#include "agora/identity/v1/identity.grpc.pb.h"
#include "agora/share/v1/share.grpc.pb.h"
#include "libs/auth/authenticate.h"
#include "libs/status/error_details.h"
#include "libs/status/grpc_status.h"

namespace agora::gateway::testing {
namespace {

namespace v1 = agora::gatewaytest::v1;

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace

class TestUpstream::TestService final : public v1::TestService::Service {
 public:
  explicit TestService(std::shared_ptr<std::atomic<int>> calls)
      : calls_(std::move(calls)) {}

#define AGORA_ECHO(Name, Request)                                             \
  grpc::Status Name(grpc::ServerContext* context, const v1::Request* request, \
                    v1::EchoResponse* response) override {                    \
    return Echo(#Name, *context, *request, *response);                        \
  }
  AGORA_ECHO(GetIdea, GetIdeaRequest)
  AGORA_ECHO(ListIdeas, ListIdeasRequest)
  AGORA_ECHO(CreateIdea, CreateIdeaRequest)
  AGORA_ECHO(UpdateIdea, UpdateIdeaRequest)
  AGORA_ECHO(VoteIdea, VoteIdeaRequest)
  AGORA_ECHO(GetFile, GetFileRequest)
  AGORA_ECHO(Hidden, GetIdeaRequest)
#undef AGORA_ECHO

  grpc::Status DeleteIdea(grpc::ServerContext*, const v1::DeleteIdeaRequest*,
                          google::protobuf::Empty*) override {
    calls_->fetch_add(1);
    return grpc::Status::OK;
  }

  grpc::Status GetWrapped(grpc::ServerContext* context,
                          const v1::GetIdeaRequest* request,
                          v1::EchoResponse* response) override {
    response->mutable_idea()->set_name(request->name());
    response->mutable_idea()->set_score(7);
    return Echo("GetWrapped", *context, *request, *response);
  }

  grpc::Status Fail(grpc::ServerContext*, const v1::FailRequest* request,
                    v1::EchoResponse*) override {
    calls_->fetch_add(1);
    absl::Status status(static_cast<absl::StatusCode>(request->code()),
                        request->message());
    if (!request->reason().empty()) {
      status = status::WithReason(status, request->reason());
    }
    if (request->retry_after_ms() > 0) {
      status = status::WithRetryDelay(
          status, absl::Milliseconds(request->retry_after_ms()));
    }
    return status::ToGrpcStatus(status);
  }

  grpc::Status Sleep(grpc::ServerContext* context,
                     const v1::SleepRequest* request,
                     v1::EchoResponse* response) override {
    absl::SleepFor(absl::Milliseconds(request->millis()));
    return Echo("Sleep", *context, *request, *response);
  }

 private:
  grpc::Status Echo(const char* name, const grpc::ServerContext& context,
                    const google::protobuf::Message& request,
                    v1::EchoResponse& response) {
    calls_->fetch_add(1);
    response.set_method(name);
    response.set_request_json(ToJson(request));
    for (const char* key : {"authorization", "x-request-id", "traceparent",
                            "tracestate", "x-forwarded-for"}) {
      auto it = context.client_metadata().find(key);
      if (it != context.client_metadata().end()) {
        (*response.mutable_metadata())[key] =
            std::string(it->second.data(), it->second.size());
      }
    }
    return grpc::Status::OK;
  }

  std::shared_ptr<std::atomic<int>> calls_;
};

class TestUpstream::ShareService final
    : public agora::share::v1::ShareService::Service {
 public:
  ShareService(std::shared_ptr<std::atomic<int>> calls,
               std::shared_ptr<auth::JwtVerifier> verifier)
      : calls_(std::move(calls)), verifier_(std::move(verifier)) {}

  grpc::Status ResolveShortLink(
      grpc::ServerContext* context,
      const agora::share::v1::ResolveShortLinkRequest* request,
      agora::share::v1::ResolveShortLinkResponse* response) override {
    calls_->fetch_add(1);
    {
      absl::MutexLock lock(&mu_);
      last_ = ToJson(*request);
    }
    // What the real service demands: a service account with share.resolve
    // acting in the link's tenant.
    absl::StatusOr<auth::Principal> principal =
        auth::AuthenticateCall(*context, *verifier_);
    if (!principal.ok()) return status::ToGrpcStatus(principal.status());
    if (!principal->HasScope("share.resolve") ||
        !auth::RequireTenant(*principal, "fr").ok()) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "scope");
    }
    if (request->name() == "tenants/fr/shortLinks/abc123") {
      response->set_available(true);
      response->set_redirect_url(
          "https://fr.example/posts/p1?utm_source=x&utm_medium=social");
      response->set_bot(absl::StrContains(
          absl::AsciiStrToLower(request->user_agent()), "bot"));
      agora::share::v1::Preview* preview = response->mutable_preview();
      preview->set_available(true);
      preview->set_title("A <script>alert(1)</script> \"idea\"");
      preview->set_description("Cheaper & faster");
      preview->set_image_uri("https://fr.example/i.png");
      preview->set_canonical_url("https://fr.example/posts/p1");
      preview->set_site_name("Banque Exemple");
      preview->set_og_type("article");
      return grpc::Status::OK;
    }
    if (request->name() == "tenants/fr/shortLinks/evil1") {
      response->set_redirect_url("javascript:alert(1)");
      return grpc::Status::OK;
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such link");
  }

  std::string last() const {
    absl::MutexLock lock(&mu_);
    return last_;
  }

 private:
  std::shared_ptr<std::atomic<int>> calls_;
  std::shared_ptr<auth::JwtVerifier> verifier_;
  mutable absl::Mutex mu_;
  std::string last_;
};

class TestUpstream::IdentityService final
    : public agora::identity::v1::IdentityService::Service {
 public:
  explicit IdentityService(IssueToken issue) : issue_(std::move(issue)) {}

  grpc::Status IssueServiceAccountToken(
      grpc::ServerContext*,
      const agora::identity::v1::IssueServiceAccountTokenRequest* request,
      agora::identity::v1::ServiceAccountToken* response) override {
    if (issue_ == nullptr ||
        request->service_account() != "serviceAccounts/gateway" ||
        request->client_secret() != "gateway-secret") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "invalid credentials");
    }
    if (request->scopes_size() != 1 || request->scopes(0) != "share.resolve" ||
        request->tenant().rfind("tenants/", 0) != 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "scopes");
    }
    issued_.fetch_add(1);
    response->set_access_token(issue_(request->tenant().substr(8)));
    response->set_token_type("Bearer");
    response->mutable_expire_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now() + absl::Minutes(15)));
    response->add_scopes("share.resolve");
    return grpc::Status::OK;
  }

  int issued() const { return issued_.load(); }

  grpc::Status GetJwks(grpc::ServerContext*,
                       const agora::identity::v1::GetJwksRequest*,
                       agora::identity::v1::Jwks* response) override {
    agora::identity::v1::Jwk* key = response->add_keys();
    key->set_kty("OKP");
    key->set_crv("Ed25519");
    key->set_kid("test-kid");
    key->set_x("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    key->set_use("sig");
    key->set_alg("EdDSA");
    return grpc::Status::OK;
  }

 private:
  IssueToken issue_;
  std::atomic<int> issued_{0};
};

TestUpstream::TestUpstream(std::shared_ptr<auth::JwtVerifier> verifier,
                           IssueToken issue)
    : calls_(std::make_shared<std::atomic<int>>(0)),
      test_service_(std::make_unique<TestService>(calls_)),
      share_service_(std::make_unique<ShareService>(calls_, verifier)),
      identity_service_(std::make_unique<IdentityService>(std::move(issue))) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(test_service_.get());
  builder.RegisterService(share_service_.get());
  builder.RegisterService(identity_service_.get());
  server_ = builder.BuildAndStart();
}

TestUpstream::~TestUpstream() { Stop(); }

int TestUpstream::tokens_issued() const { return identity_service_->issued(); }

std::string TestUpstream::last_resolve() const {
  return share_service_->last();
}

void TestUpstream::Stop() {
  if (server_ != nullptr) {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    server_->Wait();
    server_.reset();
  }
}

}  // namespace agora::gateway::testing
