#include "services/share/domain/resolve.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/api/resource_names.h"
#include "libs/logging/log.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/share/cache/click_store.h"
#include "services/share/cache/share_keys.h"
#include "services/share/domain/access.h"
#include "services/share/domain/bot_detector.h"
#include "services/share/domain/names.h"
#include "services/share/domain/post_view.h"
#include "services/share/domain/previews.h"
#include "services/share/domain/share_urls.h"
#include "services/share/repository/link_store.h"

namespace agora::share {
namespace {

absl::Status ValidateRequest(const v1::ResolveShortLinkRequest& request) {
  const size_t visitor = request.visitor_key().size();
  if (visitor < 16 || visitor > 128) {
    return absl::InvalidArgumentError(
        "visitor_key: 16-128 characters (a cookie id or a keyed hash)");
  }
  for (char c : request.visitor_key()) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "visitor_key: printable ASCII characters only");
    }
  }
  if (request.referrer_host().size() > 253) {
    return absl::InvalidArgumentError("referrer_host: at most 253 characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const CachedLink>> FindCachedLink(
    ShareContext& context, const std::string& tenant, const std::string& code,
    const std::string& name) {
  if (std::shared_ptr<const CachedLink> cached =
          context.links.Find(tenant, code)) {
    return cached;
  }
  std::optional<LinkRow> row;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        row = FindLink(tx, tenant, code);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("name: ", name, " is not known"));
  }
  context.links.Put(
      tenant, code,
      CachedLink{row->post, row->post_kind, row->network, row->target_url});
  return context.links.Find(tenant, code);
}

absl::Status RateLimited() {
  return status::WithRetryDelay(
      status::WithReason(absl::ResourceExhaustedError(
                             "visitor_key: too many resolutions, retry later"),
                         "RATE_LIMITED"),
      absl::Minutes(1));
}

}  // namespace

std::string VisitorHash(const std::string& secret, const std::string& tenant,
                        const std::string& visitor_key) {
  const std::string message =
      absl::StrCat(tenant, std::string(1, '\0'), visitor_key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &length);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), std::min(length, 16u)));
}

absl::StatusOr<v1::ResolveShortLinkResponse> ResolveShortLink(
    ShareContext& context, const auth::Principal& caller,
    const v1::ResolveShortLinkRequest& request) {
  // The code's format first: a malformed one never reaches a lookup.
  absl::StatusOr<ShortLinkName> name =
      ParseShortLinkName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status allowed = RequireResolver(caller, name->tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (absl::Status valid = ValidateRequest(request); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> tenant =
      context.settings.Get(name->tenant);
  if (!tenant.ok()) return tenant.status();
  const v1::ShareSettings& settings = (*tenant)->settings;
  absl::StatusOr<std::shared_ptr<const CachedLink>> link =
      FindCachedLink(context, name->tenant, name->code, request.name());
  if (!link.ok()) return link.status();

  const std::string user_agent = request.user_agent().substr(0, 512);
  const bool bot = IsBotUserAgent(user_agent);
  const absl::Time now = context.now();
  absl::StatusOr<TenantKeys> keys = KeysOf(context.keys, name->tenant);
  if (!keys.ok()) return keys.status();
  ClickInput input;
  input.post_key = keys->Post((*link)->post);
  const std::string visitor =
      VisitorHash(context.visitor_secret, name->tenant, request.visitor_key());
  input.rate_key = keys->Rate(visitor, absl::ToUnixSeconds(now) / 60);
  input.rate_limit = settings.max_resolutions_per_visitor_per_minute();
  input.bot = bot;
  input.visitor = visitor;
  input.code = name->code;
  input.day =
      absl::FormatCivilTime(absl::ToCivilDay(now, (*tenant)->time_zone));
  input.micros = absl::ToUnixMicros(now);
  input.post = (*link)->post;
  input.network = (*link)->network;

  std::optional<PostRow> post;
  absl::StatusOr<ClickOutcome> counted =
      CountClick(context.redis, *keys, input);
  if (counted.ok() && counted->kind == ClickOutcome::Kind::kPostNotCached) {
    absl::StatusOr<PostRow> loaded =
        LoadKnownPost(context, name->tenant, (*link)->post, "name");
    if (!loaded.ok()) return loaded.status();
    post = *loaded;
    if (absl::Status cached = CachePost(context, *post); cached.ok()) {
      counted = CountClick(context.redis, *keys, input);
    } else {
      counted = cached;
    }
  }
  if (counted.ok()) {
    if (counted->kind == ClickOutcome::Kind::kRateLimited) {
      return RateLimited();
    }
    if (counted->kind == ClickOutcome::Kind::kCounted) {
      post = DecodePost(name->tenant, counted->post_value);
    }
  } else {
    // Redis is unreachable: people are still sent on (redirecting matters
    // more than counting), uncounted and unthrottled until it is back.
    logging::Warn("share: click not counted, Redis unavailable",
                  {{"error", counted.status().ToString()}});
  }
  if (!post.has_value()) {
    absl::StatusOr<PostRow> loaded =
        LoadKnownPost(context, name->tenant, (*link)->post, "name");
    if (!loaded.ok()) return loaded.status();
    post = *loaded;
  }

  v1::ResolveShortLinkResponse response;
  response.set_bot(bot);
  response.mutable_post()->set_kind(
      static_cast<common::v1::ContentKind>(post->kind));
  response.mutable_post()->set_name(
      api::PostResourceName(name->tenant, post->id));
  // The stored target is only followed while its host is still allowed (a
  // host the admin has since removed is no longer a redirect target).
  const bool available =
      post->published && IsAllowedTarget(settings, (*link)->target_url);
  if (!available) post->published = false;
  response.set_available(available);
  response.set_redirect_url(available ? (*link)->target_url
                                      : settings.unavailable_page_url());
  *response.mutable_preview() = BuildPreview(settings, *post, "");
  return response;
}

}  // namespace agora::share
