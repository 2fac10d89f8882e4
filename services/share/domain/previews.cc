#include "services/share/domain/previews.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_names.h"
#include "libs/pg/transaction.h"
#include "services/share/domain/access.h"
#include "services/share/domain/names.h"
#include "services/share/domain/post_view.h"
#include "services/share/domain/share_urls.h"
#include "services/share/repository/link_store.h"

namespace agora::share {
namespace {

// At most `max_chars` UTF-8 characters; an ellipsis marks a cut.
std::string TruncateChars(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars - 1) {
      // Room for the ellipsis only if more than one character is left.
      size_t rest = 0;
      for (size_t j = i; j < text.size(); ++j) {
        if ((static_cast<unsigned char>(text[j]) & 0xC0) != 0x80) ++rest;
      }
      if (rest <= 1) return text;
      return text.substr(0, i) + "…";
    }
    ++chars;
  }
  return text;
}

std::string Unavailable(const std::string& language) {
  const std::string lang =
      absl::AsciiStrToLower(language.substr(0, language.find_first_of("-_")));
  if (lang == "fr") return "Ce contenu n’est plus disponible";
  if (lang == "pl") return "Ta treść nie jest już dostępna";
  if (lang == "nl") return "Deze inhoud is niet meer beschikbaar";
  if (lang == "it") return "Questo contenuto non è più disponibile";
  if (lang == "de") return "Dieser Inhalt ist nicht mehr verfügbar";
  if (lang == "es") return "Este contenido ya no está disponible";
  return "This content is no longer available";
}

}  // namespace

std::string OgLocale(const std::string& language) {
  if (language.empty()) return "";
  const size_t cut = language.find_first_of("-_");
  const std::string lang = absl::AsciiStrToLower(language.substr(0, cut));
  if (cut != std::string::npos && cut + 1 < language.size()) {
    return absl::StrCat(lang, "_",
                        absl::AsciiStrToUpper(language.substr(cut + 1)));
  }
  if (lang == "en") return "en_US";
  return absl::StrCat(lang, "_", absl::AsciiStrToUpper(lang));
}

v1::Preview BuildPreview(const v1::ShareSettings& settings, const PostRow& post,
                         const std::string& language,
                         const std::string& canonical_url) {
  v1::Preview preview;
  preview.set_name(
      absl::StrCat(api::PostResourceName(post.tenant, post.id), "/preview"));
  preview.mutable_post()->set_kind(
      static_cast<common::v1::ContentKind>(post.kind));
  preview.mutable_post()->set_name(api::PostResourceName(post.tenant, post.id));
  preview.set_available(post.published);
  preview.set_site_name(settings.site_name());
  preview.set_og_type("article");
  preview.set_twitter_site(settings.twitter_site());
  preview.set_image_uri(settings.default_preview_image_uri());
  if (!preview.image_uri().empty()) preview.set_image_alt(settings.site_name());
  preview.set_twitter_card(preview.image_uri().empty() ? "summary"
                                                       : "summary_large_image");
  const std::string& lang = language.empty() ? post.language : language;
  preview.set_locale(OgLocale(lang));
  if (!post.published) {
    // Neutral: nothing of the post's text leaves once it is withdrawn.
    preview.set_title(Unavailable(lang));
    preview.set_canonical_url(settings.unavailable_page_url());
    return preview;
  }
  std::string title = post.title.empty() ? post.excerpt : post.title;
  if (title.empty()) title = settings.site_name();
  preview.set_title(TruncateChars(title, 200));
  preview.set_description(TruncateChars(post.excerpt, 300));
  preview.set_canonical_url(
      canonical_url.empty() ? CanonicalUrl(settings, post.id) : canonical_url);
  if (post.publish_time.has_value()) {
    *preview.mutable_publish_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(*post.publish_time));
  }
  return preview;
}

absl::StatusOr<v1::Preview> GetPreview(ShareContext& context,
                                       const auth::Principal* caller,
                                       const v1::GetPreviewRequest& request) {
  if (request.name().empty() == request.short_link().empty()) {
    return absl::InvalidArgumentError(
        "name: set exactly one of name and short_link");
  }
  std::string tenant, post, canonical;
  if (!request.name().empty()) {
    absl::StatusOr<std::vector<std::string>> parts =
        api::ParseName("name", request.name(), {"tenants", "posts"}, "preview");
    if (!parts.ok()) return parts.status();
    tenant = (*parts)[0];
    post = (*parts)[1];
  } else {
    absl::StatusOr<ShortLinkName> link =
        ParseShortLinkName("short_link", request.short_link());
    if (!link.ok()) return link.status();
    tenant = link->tenant;
    std::optional<LinkRow> row;
    absl::Status read =
        pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
          row = FindLink(tx, link->tenant, link->code);
          return absl::OkStatus();
        });
    if (!read.ok()) return read;
    if (!row.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("short_link: ", request.short_link(), " is not known"));
    }
    post = row->post;
    canonical = row->target_url;
  }
  if (absl::Status allowed = RequireReader(caller, tenant); !allowed.ok()) {
    return allowed;
  }
  if (request.language().size() > 35) {
    return absl::InvalidArgumentError("language: a BCP-47 tag");
  }
  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(tenant);
  if (!settings.ok()) return settings.status();
  absl::StatusOr<PostRow> row = LoadKnownPost(
      context, tenant, post, request.name().empty() ? "short_link" : "name");
  if (!row.ok()) return row.status();
  return BuildPreview((*settings)->settings, *row, request.language(),
                      canonical);
}

}  // namespace agora::share
