#include "libs/auth/authenticate.h"

#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace agora::auth {
namespace {

constexpr absl::string_view kAuthorizationKey = "authorization";
constexpr absl::string_view kBearerScheme = "bearer";

// The "authorization" value of the call: nullopt when absent, an error when
// repeated. gRPC lower-cases metadata keys, so one lookup finds any spelling.
absl::StatusOr<std::optional<absl::string_view>> AuthorizationHeader(
    const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto [begin, end] = metadata.equal_range(
      grpc::string_ref(kAuthorizationKey.data(), kAuthorizationKey.size()));
  if (begin == end) return std::optional<absl::string_view>();
  if (std::next(begin) != end) {
    return absl::UnauthenticatedError("more than one authorization header");
  }
  return std::optional<absl::string_view>(
      absl::string_view(begin->second.data(), begin->second.size()));
}

}  // namespace

absl::StatusOr<Principal> AuthenticateAuthorizationHeader(
    std::optional<absl::string_view> header, const JwtVerifier& verifier) {
  if (!header.has_value()) {
    return absl::UnauthenticatedError("missing bearer token");
  }
  absl::string_view value = absl::StripAsciiWhitespace(*header);
  const size_t space = value.find(' ');
  const absl::string_view scheme = value.substr(0, space);
  if (!absl::EqualsIgnoreCase(scheme, kBearerScheme)) {
    return absl::UnauthenticatedError("unsupported authorization scheme");
  }
  const absl::string_view token =
      space == absl::string_view::npos
          ? absl::string_view()
          : absl::StripLeadingAsciiWhitespace(value.substr(space + 1));
  if (token.empty()) return absl::UnauthenticatedError("missing bearer token");
  absl::StatusOr<Claims> claims = verifier.Verify(token);
  if (!claims.ok()) return claims.status();
  return PrincipalFromClaims(*claims);
}

absl::StatusOr<Principal> AuthenticateCall(
    const grpc::ServerContextBase& context, const JwtVerifier& verifier) {
  absl::StatusOr<std::optional<absl::string_view>> header =
      AuthorizationHeader(context);
  if (!header.ok()) return header.status();
  return AuthenticateAuthorizationHeader(*header, verifier);
}

absl::StatusOr<std::optional<Principal>> AuthenticateOptional(
    const grpc::ServerContextBase& context, const JwtVerifier& verifier) {
  absl::StatusOr<std::optional<absl::string_view>> header =
      AuthorizationHeader(context);
  if (!header.ok()) return header.status();
  if (!header->has_value()) return std::optional<Principal>();
  absl::StatusOr<Principal> principal =
      AuthenticateAuthorizationHeader(*header, verifier);
  if (!principal.ok()) return principal.status();
  return std::optional<Principal>(*std::move(principal));
}

std::string DescribeCaller(absl::string_view authorization_header,
                           const JwtVerifier& verifier) {
  if (authorization_header.empty()) return "";
  absl::StatusOr<Principal> principal =
      AuthenticateAuthorizationHeader(authorization_header, verifier);
  if (!principal.ok()) return "invalid-token";
  return absl::StrCat(principal->tenant, "/", principal->subject);
}

}  // namespace agora::auth
