#include "libs/auth/authenticate.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/roles.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::CopyKey;
using auth_test::FakeClock;
using auth_test::FakeKeySource;
using auth_test::kAudience;
using auth_test::KeySetOf;
using auth_test::kIssuer;
using auth_test::MemberClaims;
using auth_test::NewKey;

class AuthenticateTest : public ::testing::Test {
 protected:
  AuthenticateTest()
      : clock_(absl::FromUnixSeconds(1700000000)),
        key_(NewKey()),
        signer_(CopyKey(key_)),
        verifier_(Options(), std::make_shared<FakeKeySource>(
                                 KeySetOf({&key_.public_key()}))) {}

  JwtVerifierOptions Options() {
    JwtVerifierOptions options;
    options.issuer = kIssuer;
    options.audience = kAudience;
    options.clock = clock_.AsFunction();
    return options;
  }

  std::string Token() {
    Claims claims = MemberClaims(clock_.Now());
    claims.roles = {kRoleMember, kRoleModerator};
    claims.scopes = {"content.read"};
    absl::StatusOr<std::string> token = signer_.Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  FakeClock clock_;
  Ed25519PrivateKey key_;
  JwtSigner signer_;
  JwtVerifier verifier_;
};

TEST_F(AuthenticateTest, ValidBearerTokenGivesThePrincipal) {
  absl::StatusOr<Principal> principal = AuthenticateAuthorizationHeader(
      absl::StrCat("Bearer ", Token()), verifier_);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "member-42");
  EXPECT_EQ(principal->tenant, "fr");
  EXPECT_EQ(principal->roles,
            (std::vector<std::string>{kRoleMember, kRoleModerator}));
  EXPECT_EQ(principal->trust_level, kTrustLevelMember);
  EXPECT_EQ(principal->scopes, std::vector<std::string>{"content.read"});
  EXPECT_FALSE(principal->is_service_account);
}

TEST_F(AuthenticateTest, DescribeCallerNamesVerifiedCallersOnly) {
  EXPECT_EQ(DescribeCaller(absl::StrCat("Bearer ", Token()), verifier_),
            "fr/member-42");
  EXPECT_EQ(DescribeCaller("", verifier_), "");
  const std::string forged = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.";
  EXPECT_EQ(DescribeCaller(forged, verifier_), "invalid-token");
}

TEST_F(AuthenticateTest, SchemeIsCaseInsensitive) {
  const std::string token = Token();
  for (const char* scheme : {"bearer ", "BEARER ", "BeArEr ", "Bearer   "}) {
    EXPECT_TRUE(
        AuthenticateAuthorizationHeader(absl::StrCat(scheme, token), verifier_)
            .ok())
        << scheme;
  }
}

TEST_F(AuthenticateTest, MissingHeaderOrToken) {
  for (std::optional<absl::string_view> header :
       {std::optional<absl::string_view>(),
        std::optional<absl::string_view>("Bearer"),
        std::optional<absl::string_view>("Bearer "),
        std::optional<absl::string_view>("Bearer    ")}) {
    absl::StatusOr<Principal> principal =
        AuthenticateAuthorizationHeader(header, verifier_);
    ASSERT_FALSE(principal.ok());
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(principal.status().message(), "missing bearer token");
  }
}

TEST_F(AuthenticateTest, WrongSchemeIsRefusedWithoutEchoingTheHeader) {
  const std::string token = Token();
  for (const std::string& header :
       {absl::StrCat("Basic ", token), absl::StrCat("Token ", token),
        absl::StrCat("Bearer", token), token, std::string(""),
        absl::StrCat("Bearerx ", token)}) {
    absl::StatusOr<Principal> principal =
        AuthenticateAuthorizationHeader(header, verifier_);
    ASSERT_FALSE(principal.ok()) << header;
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(principal.status().message(), "unsupported authorization scheme")
        << header;
  }
}

TEST_F(AuthenticateTest, InvalidTokenGivesTheVerifierRefusal) {
  const std::string token = Token();
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<Principal> principal = AuthenticateAuthorizationHeader(
      absl::StrCat("Bearer ", token), verifier_);
  ASSERT_FALSE(principal.ok());
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(principal.status().message(), "token expired");
}

TEST_F(AuthenticateTest, TokenWithoutTenantIsRefused) {
  Claims claims = MemberClaims(clock_.Now());
  claims.tenant.clear();
  absl::StatusOr<Principal> principal = AuthenticateAuthorizationHeader(
      absl::StrCat("Bearer ", *signer_.Sign(claims)), verifier_);
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthenticateTest, ContextWithoutMetadata) {
  grpc::ServerContext context;
  absl::StatusOr<Principal> principal = AuthenticateCall(context, verifier_);
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(principal.status().message(), "missing bearer token");
  absl::StatusOr<std::optional<Principal>> optional =
      AuthenticateOptional(context, verifier_);
  ASSERT_TRUE(optional.ok()) << optional.status();
  EXPECT_FALSE(optional->has_value());
}

// The same functions through a real in-process gRPC server, so the metadata
// really comes from a client. "/test.Auth/Required" authenticates with
// AuthenticateCall, "/test.Auth/Optional" with AuthenticateOptional; the
// principal's subject and tenant come back as trailing metadata.
class AuthService final : public grpc::CallbackGenericService {
 public:
  explicit AuthService(const JwtVerifier* verifier) : verifier_(verifier) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new Reactor(context, *verifier_);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(grpc::GenericCallbackServerContext* context,
            const JwtVerifier& verifier) {
      std::optional<Principal> principal;
      absl::Status status;
      if (context->method() == "/test.Auth/Optional") {
        absl::StatusOr<std::optional<Principal>> optional =
            AuthenticateOptional(*context, verifier);
        status = optional.status();
        if (optional.ok()) principal = *std::move(optional);
      } else {
        absl::StatusOr<Principal> required =
            AuthenticateCall(*context, verifier);
        status = required.status();
        if (required.ok()) principal = *std::move(required);
      }
      if (principal.has_value()) {
        context->AddTrailingMetadata("x-subject", principal->subject);
        context->AddTrailingMetadata("x-tenant", principal->tenant);
      }
      Finish(grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                          std::string(status.message())));
    }
    void OnDone() override { delete this; }
  };

  const JwtVerifier* verifier_;
};

struct CallResult {
  grpc::Status status;
  std::string subject;
  std::string tenant;
};

class AuthenticateOverGrpcTest : public AuthenticateTest {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    stub_ = std::make_unique<grpc::GenericStub>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  CallResult Call(const std::string& method,
                  const std::vector<std::string>& authorization) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    for (const std::string& value : authorization) {
      context.AddMetadata("authorization", value);
    }
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    CallResult result;
    absl::Notification done;
    stub_->UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                     [&](grpc::Status status) {
                       result.status = std::move(status);
                       done.Notify();
                     });
    done.WaitForNotification();
    for (const auto& [key, value] : context.GetServerTrailingMetadata()) {
      if (key == "x-subject") result.subject.assign(value.data(), value.size());
      if (key == "x-tenant") result.tenant.assign(value.data(), value.size());
    }
    return result;
  }

  AuthService service_{&verifier_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

TEST_F(AuthenticateOverGrpcTest, RequiredWithValidToken) {
  const CallResult result =
      Call("/test.Auth/Required", {absl::StrCat("Bearer ", Token())});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.subject, "member-42");
  EXPECT_EQ(result.tenant, "fr");
}

TEST_F(AuthenticateOverGrpcTest, RequiredWithoutToken) {
  const CallResult result = Call("/test.Auth/Required", {});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(result.status.error_message(), "missing bearer token");
}

TEST_F(AuthenticateOverGrpcTest, RequiredWithWrongScheme) {
  const CallResult result =
      Call("/test.Auth/Required", {absl::StrCat("Basic ", Token())});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(result.status.error_message(), "unsupported authorization scheme");
}

TEST_F(AuthenticateOverGrpcTest, TwoAuthorizationEntriesAreRefused) {
  const std::string header = absl::StrCat("Bearer ", Token());
  const CallResult result = Call("/test.Auth/Required", {header, header});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(result.status.error_message(),
            "more than one authorization header");
}

TEST_F(AuthenticateOverGrpcTest, OptionalIsAnonymousWithoutHeader) {
  const CallResult result = Call("/test.Auth/Optional", {});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.subject, "");
}

TEST_F(AuthenticateOverGrpcTest, OptionalWithValidToken) {
  const CallResult result =
      Call("/test.Auth/Optional", {absl::StrCat("bearer ", Token())});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.subject, "member-42");
}

TEST_F(AuthenticateOverGrpcTest, OptionalWithInvalidTokenIsRefused) {
  // A bad token is not downgraded to anonymous.
  const std::string token = Token();
  clock_.Advance(absl::Hours(1));
  const CallResult result =
      Call("/test.Auth/Optional", {absl::StrCat("Bearer ", token)});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(result.status.error_message(), "token expired");
  EXPECT_EQ(result.subject, "");
}

}  // namespace
}  // namespace agora::auth
