#include "services/identity/oidc/https_client.h"

#include <curl/curl.h>

#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace agora::identity::oidc {
namespace {

constexpr size_t kMaxUrlBytes = 8192;

struct CurlEasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

// curl_global_init must run once before any handle and is not safe to race;
// a function-local static gives both. Never cleaned up: the process needs it
// until it exits.
bool CurlReady() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ready;
}

struct BoundedBody {
  std::string* body;
  size_t limit;
  bool overflowed = false;
};

// Returning less than offered makes curl abort with CURLE_WRITE_ERROR, so an
// oversize answer without Content-Length is cut off here, not buffered.
size_t AppendBounded(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BoundedBody*>(user);
  const size_t bytes = size * count;
  if (sink->body->size() + bytes > sink->limit) {
    sink->overflowed = true;
    return 0;
  }
  sink->body->append(data, bytes);
  return bytes;
}

}  // namespace

HttpsClient::HttpsClient(HttpOptions options) : options_(std::move(options)) {}

absl::StatusOr<HttpResponse> HttpsClient::Get(
    absl::string_view url, const std::vector<std::string>& headers) const {
  return Perform(url, nullptr, headers);
}

absl::StatusOr<HttpResponse> HttpsClient::PostForm(
    absl::string_view url, absl::string_view form,
    const std::vector<std::string>& headers) const {
  return Perform(url, &form, headers);
}

absl::StatusOr<HttpResponse> HttpsClient::Perform(
    absl::string_view url, const absl::string_view* form,
    const std::vector<std::string>& headers) const {
  // Checked here as well as by CURLOPT_PROTOCOLS_STR, to say why clearly.
  if (!absl::StartsWithIgnoreCase(url, "https://") ||
      url.size() > kMaxUrlBytes) {
    return absl::FailedPreconditionError(
        "provider endpoint must be an https URL");
  }
  if (!CurlReady()) return absl::InternalError("libcurl did not initialise");
  CurlEasy curl(curl_easy_init());
  if (curl == nullptr) return absl::ResourceExhaustedError("no curl handle");

  const std::string url_text(url);
  HttpResponse response;
  BoundedBody sink{&response.body, options_.max_response_bytes};

  CurlList header_list;
  const auto add_header = [&header_list](const char* line) {
    curl_slist* extended = curl_slist_append(header_list.get(), line);
    if (extended != nullptr) {
      (void)header_list.release();
      header_list.reset(extended);
    }
    return extended != nullptr;
  };
  bool headers_ok =
      add_header("Accept: application/json") &&
      // Small bodies; a 100-continue round trip only adds latency.
      add_header("Expect:");
  for (const std::string& header : headers)
    headers_ok = headers_ok && add_header(header.c_str());
  if (form != nullptr) {
    headers_ok = headers_ok &&
                 add_header("Content-Type: application/x-www-form-urlencoded");
  }
  if (!headers_ok)
    return absl::ResourceExhaustedError("no memory for request headers");

  CURL* handle = curl.get();
  CURLcode setup = CURLE_OK;
  const auto set = [&setup](CURLcode code) {
    if (setup == CURLE_OK) setup = code;
  };
  set(curl_easy_setopt(handle, CURLOPT_URL, url_text.c_str()));
  set(curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https"));
  set(curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https"));
  // A redirect from a token or JWKS endpoint is a misconfiguration or an
  // attack; the caller sees the 3xx instead.
  set(curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L));
  // Signals for timeouts are not thread-safe; the threaded resolver needs none.
  set(curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(
      handle, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout))));
  set(curl_easy_setopt(
      handle, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.timeout))));
  set(curl_easy_setopt(handle, CURLOPT_SSLVERSION,
                       static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L));
  if (!options_.ca_file.empty()) {
    set(curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str()));
  }
  set(curl_easy_setopt(handle, CURLOPT_USERAGENT, "agora-identity"));
  set(curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get()));
  // Refuses early when Content-Length announces too much; AppendBounded
  // catches the rest.
  set(curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(options_.max_response_bytes)));
  set(curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &AppendBounded));
  set(curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink));
  if (form != nullptr) {
    set(curl_easy_setopt(handle, CURLOPT_POST, 1L));
    set(curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(form->size())));
    // Not copied: `form` outlives curl_easy_perform below.
    set(curl_easy_setopt(handle, CURLOPT_POSTFIELDS, form->data()));
  }
  if (setup != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("curl setup: ", curl_easy_strerror(setup)));
  }

  const CURLcode result = curl_easy_perform(handle);
  if (sink.overflowed || result == CURLE_FILESIZE_EXCEEDED) {
    return absl::UnavailableError("provider response too large");
  }
  if (result == CURLE_OPERATION_TIMEDOUT) {
    return absl::UnavailableError("provider timed out");
  }
  if (result != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("provider unreachable: ", curl_easy_strerror(result)));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace agora::identity::oidc
