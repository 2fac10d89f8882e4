// The HTTPS requests the OpenID Connect client makes (token, JWKS, userinfo),
// over libcurl, with the guards a server calling the internet needs: https
// only, no redirects followed, timeouts, a bound on the answer's size.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_HTTPS_CLIENT_H_
#define AGORA_SERVICES_IDENTITY_OIDC_HTTPS_CLIENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/identity/oidc/client_options.h"

namespace agora::identity::oidc {

struct HttpResponse {
  long status = 0;  // NOLINT(google-runtime-int): curl's type for it
  std::string body;
};

// Thread-safe: every request uses a curl handle of its own.
class HttpsClient {
 public:
  explicit HttpsClient(HttpOptions options);

  // GET `url` with these extra header lines ("Name: value").
  absl::StatusOr<HttpResponse> Get(
      absl::string_view url, const std::vector<std::string>& headers) const;
  // POST an application/x-www-form-urlencoded `form` to `url`.
  absl::StatusOr<HttpResponse> PostForm(
      absl::string_view url, absl::string_view form,
      const std::vector<std::string>& headers) const;

  // Errors: FAILED_PRECONDITION when `url` is not https; UNAVAILABLE when the
  // provider cannot be reached, its certificate is not trusted, it times out
  // or its answer exceeds max_response_bytes. Any HTTP status is a response
  // (3xx included: redirects are never followed).

 private:
  absl::StatusOr<HttpResponse> Perform(
      absl::string_view url, const absl::string_view* form,
      const std::vector<std::string>& headers) const;

  HttpOptions options_;
};

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_HTTPS_CLIENT_H_
