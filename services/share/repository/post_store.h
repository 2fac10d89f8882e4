// Share's projection of content's posts: what a preview and a share link
// need (masked title and excerpt, language, kind, author, contest,
// publication state and time), kept from content's events.
#ifndef AGORA_SERVICES_SHARE_REPOSITORY_POST_STORE_H_
#define AGORA_SERVICES_SHARE_REPOSITORY_POST_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "absl/time/time.h"

namespace agora::share {

struct PostRow {
  std::string tenant;
  std::string id;
  int kind = 0;  // agora.common.v1.ContentKind
  bool published = false;
  std::string title;
  std::string excerpt;
  std::string language;
  std::string author;   // member id, or ""
  std::string contest;  // contest id of a contest entry, or ""
  std::optional<absl::Time> publish_time;
  int64_t version = 0;  // grows with every change
};

std::optional<PostRow> LoadPost(pqxx::transaction_base& tx,
                                const std::string& tenant,
                                const std::string& id);

// Inserts or replaces the post (a publication); returns the stored row
// with its new version.
PostRow UpsertPublishedPost(pqxx::transaction_base& tx, const PostRow& post);

// A new revision's text (and state); nullopt when the post is unknown.
std::optional<PostRow> UpdatePostText(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& id,
                                      const std::string& title,
                                      const std::string& excerpt,
                                      bool published);

// Hidden, removed or deleted (published = false); nullopt when unknown.
std::optional<PostRow> SetPostPublished(pqxx::transaction_base& tx,
                                        const std::string& tenant,
                                        const std::string& id, bool published);

// An erased member no longer authors anything here.
void ForgetAuthor(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& member);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_REPOSITORY_POST_STORE_H_
