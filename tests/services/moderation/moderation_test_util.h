// Request builders and database probes shared by the moderation tests.
#ifndef AGORA_TESTS_SERVICES_MODERATION_MODERATION_TEST_UTIL_H_
#define AGORA_TESTS_SERVICES_MODERATION_MODERATION_TEST_UTIL_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agora/events/v1/events.pb.h"
#include "agora/moderation/v1/moderation.pb.h"

namespace agora::moderation {

namespace common = agora::common::v1;

inline v1::ScreenRequest ScreenRequestFor(const std::string& tenant,
                                          const std::string& post,
                                          const std::string& body,
                                          int trust_level = 3) {
  v1::ScreenRequest request;
  request.set_parent(absl::StrCat("tenants/", tenant));
  request.mutable_target()->set_name(
      absl::StrCat("tenants/", tenant, "/posts/", post));
  request.mutable_target()->set_kind(common::CONTENT_KIND_QUESTION);
  request.set_author(absl::StrCat("tenants/", tenant, "/members/author-1"));
  request.set_author_trust_level(static_cast<common::TrustLevel>(trust_level));
  request.set_language("fr");
  request.set_title("Une question");
  request.set_body(body);
  return request;
}

inline int64_t CountRows(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int64_t>();
}

// Every event in the outbox, parsed, oldest first.
inline std::vector<agora::events::v1::Event> OutboxEvents(
    const std::string& url) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  std::vector<agora::events::v1::Event> events;
  for (const pqxx::row& row :
       tx.exec("SELECT payload FROM outbox ORDER BY id")) {
    agora::events::v1::Event event;
    event.ParseFromString(pqxx::binarystring(row[0]).str());
    events.push_back(event);
  }
  return events;
}

inline std::string IdOf(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

}  // namespace agora::moderation

#endif  // AGORA_TESTS_SERVICES_MODERATION_MODERATION_TEST_UTIL_H_
