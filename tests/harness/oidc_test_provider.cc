#include "tests/harness/oidc_test_provider.h"

#include <curl/curl.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/harness/ports.h"

namespace agora::testing {
namespace {

// The harness speaks to the provider with a curl of its own, not with the
// client under test, so a bug there cannot hide behind a harness that shares
// it.
struct Reply {
  long status = 0;  // NOLINT(google-runtime-int): curl's type
  std::string body;
  std::string location;
};

size_t Append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

absl::StatusOr<Reply> Request(const std::string& url,
                              const std::string& ca_file,
                              const std::string* post_json) {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!ready) return absl::InternalError("curl_global_init failed");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           &curl_easy_cleanup);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"),
      &curl_slist_free_all);
  Reply reply;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
  if (post_json != nullptr) {
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(post_json->size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, post_json->c_str());
  }
  const CURLcode result = curl_easy_perform(handle);
  if (result != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(url, ": ", curl_easy_strerror(result)));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
  char* location = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location != nullptr) {
    reply.location = location;
  }
  return reply;
}

std::string Unescape(absl::string_view text) {
  int length = 0;
  char* raw = curl_easy_unescape(nullptr, text.data(),
                                 static_cast<int>(text.size()), &length);
  std::string decoded =
      raw == nullptr ? std::string() : std::string(raw, length);
  curl_free(raw);
  return decoded;
}

}  // namespace

absl::StatusOr<std::unique_ptr<OidcTestProvider>> OidcTestProvider::Start(
    Options options) {
  std::string directory_template =
      (std::filesystem::temp_directory_path() / "agora-oidc-XXXXXX").string();
  if (mkdtemp(directory_template.data()) == nullptr) {
    return absl::InternalError("mkdtemp failed");
  }
  const std::string directory = directory_template;
  absl::Status last = absl::UnavailableError("not started");
  // A port FreePort chose can be taken before the provider binds it: retry.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = FreePort();
    std::vector<std::string> argv = {
        AGORA_OIDC_PYTHON, AGORA_OIDC_PROVIDER_SCRIPT,
        "--port",          std::to_string(port),
        "--cert-file",     directory + "/ca.pem",
        "--client-id",     options.client_id,
        "--client-secret", options.client_secret};
    for (const std::string& uri : options.redirect_uris) {
      argv.push_back("--redirect-uri");
      argv.push_back(uri);
    }
    if (options.x_mode) argv.push_back("--x-mode");
    absl::StatusOr<ChildProcess> process = ChildProcess::Start(std::move(argv));
    if (!process.ok()) {
      std::filesystem::remove_all(directory);
      return process.status();
    }
    auto provider = absl::WrapUnique(
        new OidcTestProvider(options, port, directory, std::move(*process)));
    if (!WaitForPort(port, absl::Seconds(20))) {
      last = absl::UnavailableError(
          "the OIDC test provider did not start listening");
      provider->directory_.clear();  // kept for the next attempt
      continue;
    }
    // Listening is not enough: the port may be someone else's.
    absl::StatusOr<Stats> stats = provider->GetStats();
    if (stats.ok()) return provider;
    last = stats.status();
    provider->directory_.clear();
  }
  std::filesystem::remove_all(directory);
  return last;
}

OidcTestProvider::OidcTestProvider(Options options, int port,
                                   std::string directory, ChildProcess process)
    : options_(std::move(options)),
      port_(port),
      directory_(std::move(directory)),
      issuer_(absl::StrCat("https://127.0.0.1:", port)),
      ca_file_(directory_ + "/ca.pem"),
      process_(std::move(process)) {}

OidcTestProvider::~OidcTestProvider() {
  process_.Kill();
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

void OidcTestProvider::Stop() { process_.Kill(); }

identity::oidc::ProviderConfig OidcTestProvider::Config() const {
  identity::oidc::ProviderConfig config;
  config.issuer = issuer_;
  config.authorization_endpoint = issuer_ + "/authorize";
  config.token_endpoint = issuer_ + "/token";
  config.userinfo_endpoint = issuer_ + "/userinfo";
  config.jwks_uri = issuer_ + "/jwks";
  config.client_id = options_.client_id;
  config.client_secret = options_.client_secret;
  if (options_.x_mode) {
    config.protocol = identity::oidc::Protocol::kOAuth2UserInfo;
    config.scopes = {"users.read", "tweet.read"};
  } else {
    config.scopes = {"email", "profile"};
  }
  return config;
}

absl::Status OidcTestProvider::Control(absl::string_view path,
                                       absl::string_view json_body) const {
  const std::string body(json_body);
  absl::StatusOr<Reply> reply =
      Request(absl::StrCat(issuer_, path), ca_file_, &body);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " answered ", reply->status, ": ", reply->body));
  }
  return absl::OkStatus();
}

absl::Status OidcTestProvider::SetNextUser(absl::string_view json_object) {
  return Control("/test/next-user", json_object);
}

absl::Status OidcTestProvider::Forge(absl::string_view mode) {
  return Control("/test/forge",
                 nlohmann::json{{"mode", std::string(mode)}}.dump());
}

absl::Status OidcTestProvider::TokenFault(absl::string_view mode) {
  return Control("/test/token-fault",
                 nlohmann::json{{"mode", std::string(mode)}}.dump());
}

absl::Status OidcTestProvider::Hang() { return Control("/test/hang", "{}"); }

absl::Status OidcTestProvider::Rotate() {
  return Control("/test/rotate", "{}");
}

absl::StatusOr<OidcTestProvider::Stats> OidcTestProvider::GetStats() const {
  absl::StatusOr<Reply> reply =
      Request(issuer_ + "/test/stats", ca_file_, nullptr);
  if (!reply.ok()) return reply.status();
  const nlohmann::json stats =
      nlohmann::json::parse(reply->body, nullptr, false);
  if (reply->status != 200 || !stats.is_object() ||
      !stats.contains("jwks_fetches") || !stats.contains("token_requests")) {
    return absl::InternalError("unexpected /test/stats answer");
  }
  return Stats{stats["jwks_fetches"].get<int>(),
               stats["token_requests"].get<int>()};
}

absl::StatusOr<OidcTestProvider::Callback> OidcTestProvider::Authorize(
    absl::string_view authorization_url) const {
  absl::StatusOr<Reply> reply =
      Request(std::string(authorization_url), ca_file_, nullptr);
  if (!reply.ok()) return reply.status();
  if (reply->status != 302 || reply->location.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("authorize answered ", reply->status, ": ", reply->body));
  }
  Callback callback;
  callback.location = reply->location;
  const size_t query = callback.location.find('?');
  if (query == std::string::npos) return callback;
  for (absl::string_view pair : absl::StrSplit(
           absl::string_view(callback.location).substr(query + 1), '&')) {
    const std::pair<absl::string_view, absl::string_view> field =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (field.first == "code") callback.code = Unescape(field.second);
    if (field.first == "state") callback.state = Unescape(field.second);
    if (field.first == "error") callback.error = Unescape(field.second);
  }
  return callback;
}

}  // namespace agora::testing
