#include "services/content/repository/space_store.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/update_mask.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kSpaceColumns[] =
    "id, kind, display_order, state, moderation_mode, evaluation_mode,"
    " display_name, description,"
    " (SELECT greatest(coalesce(sum(c.n), 0), 0) FROM post_counts c"
    "  WHERE c.tenant = spaces.tenant AND c.space = spaces.id"
    "  AND c.category = '')::bigint, version,"
    " (extract(epoch FROM create_time) * 1000000)::bigint,"
    " (extract(epoch FROM update_time) * 1000000)::bigint";

constexpr char kCategoryColumns[] =
    "id, display_order, state, display_name, description,"
    " (SELECT greatest(coalesce(sum(c.n), 0), 0) FROM post_counts c"
    "  WHERE c.tenant = categories.tenant AND c.space = categories.space"
    "  AND c.category = categories.id)::bigint, version,"
    " (extract(epoch FROM create_time) * 1000000)::bigint,"
    " (extract(epoch FROM update_time) * 1000000)::bigint";

common::v1::LocalizedText TextOf(const pqxx::field& field) {
  common::v1::LocalizedText text;
  text.ParseFromString(pqxx::binarystring(field).str());
  return text;
}

v1::Space SpaceFromRow(const std::string& tenant, const pqxx::row& row) {
  v1::Space space;
  space.set_name(SpaceResourceName(tenant, row[0].as<std::string>()));
  space.set_kind(static_cast<v1::SpaceKind>(row[1].as<int>()));
  space.set_display_order(row[2].as<int>());
  space.set_state(static_cast<v1::Space::State>(row[3].as<int>()));
  space.set_moderation_mode(
      static_cast<common::v1::ModerationMode>(row[4].as<int>()));
  space.set_evaluation_mode(
      static_cast<common::v1::EvaluationMode>(row[5].as<int>()));
  *space.mutable_display_name() = TextOf(row[6]);
  *space.mutable_description() = TextOf(row[7]);
  space.set_post_count(row[8].as<int64_t>());
  space.set_etag(api::EtagOf(row[9].as<int64_t>()));
  *space.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[10].as<int64_t>());
  *space.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(row[11].as<int64_t>());
  return space;
}

v1::Category CategoryFromRow(const std::string& tenant,
                             const std::string& space, const pqxx::row& row) {
  v1::Category category;
  category.set_name(
      CategoryResourceName(tenant, space, row[0].as<std::string>()));
  category.set_display_order(row[1].as<int>());
  category.set_state(static_cast<v1::Category::State>(row[2].as<int>()));
  *category.mutable_display_name() = TextOf(row[3]);
  *category.mutable_description() = TextOf(row[4]);
  category.set_post_count(row[5].as<int64_t>());
  category.set_etag(api::EtagOf(row[6].as<int64_t>()));
  *category.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[7].as<int64_t>());
  *category.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(row[8].as<int64_t>());
  return category;
}

}  // namespace

std::string SpaceResourceName(const std::string& tenant,
                              const std::string& space) {
  return absl::StrCat("tenants/", tenant, "/spaces/", space);
}

std::string CategoryResourceName(const std::string& tenant,
                                 const std::string& space,
                                 const std::string& category) {
  return absl::StrCat("tenants/", tenant, "/spaces/", space, "/categories/",
                      category);
}

std::optional<v1::Space> FindSpace(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& id, bool lock) {
  const pqxx::result rows =
      tx.exec_params(absl::StrCat("SELECT ", kSpaceColumns,
                                  " FROM spaces WHERE tenant = $1 AND id = $2",
                                  lock ? " FOR UPDATE" : ""),
                     tenant, id);
  if (rows.empty()) return std::nullopt;
  return SpaceFromRow(tenant, rows[0]);
}

bool InsertSpace(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& id, const v1::Space& space) {
  const pqxx::binarystring name(space.display_name().SerializeAsString());
  const pqxx::binarystring description(space.description().SerializeAsString());
  return !tx.exec_params(
                "INSERT INTO spaces (tenant, id, kind, display_order, state,"
                " moderation_mode, evaluation_mode, display_name, description)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                " ON CONFLICT DO NOTHING RETURNING 1",
                tenant, id, static_cast<int>(space.kind()),
                space.display_order(), static_cast<int>(space.state()),
                static_cast<int>(space.moderation_mode()),
                static_cast<int>(space.evaluation_mode()), name, description)
              .empty();
}

void UpdateSpaceRow(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& id, const v1::Space& space) {
  const pqxx::binarystring name(space.display_name().SerializeAsString());
  const pqxx::binarystring description(space.description().SerializeAsString());
  tx.exec_params(
      "UPDATE spaces SET display_order = $3, state = $4, moderation_mode = $5,"
      " evaluation_mode = $6, display_name = $7, description = $8,"
      " version = version + 1, update_time = now()"
      " WHERE tenant = $1 AND id = $2",
      tenant, id, space.display_order(), static_cast<int>(space.state()),
      static_cast<int>(space.moderation_mode()),
      static_cast<int>(space.evaluation_mode()), name, description);
}

std::vector<v1::Space> ListSpaceRows(
    pqxx::transaction_base& tx, const std::string& tenant, int kind,
    bool include_hidden, std::optional<std::pair<int, std::string>> after,
    int limit) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kSpaceColumns,
                   " FROM spaces WHERE tenant = $1 AND ($2 = 0 OR kind = $2)"
                   " AND ($3 OR state <> 3)"
                   " AND (NOT $4 OR (display_order, id) > ($5, $6))"
                   " ORDER BY display_order, id LIMIT $7"),
      tenant, kind, include_hidden, after.has_value(), after ? after->first : 0,
      after ? after->second : std::string(), limit);
  std::vector<v1::Space> spaces;
  for (const pqxx::row& row : rows) spaces.push_back(SpaceFromRow(tenant, row));
  return spaces;
}

bool SpaceIsEmpty(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& id) {
  return tx
      .exec_params(
          "SELECT 1 FROM posts WHERE tenant = $1 AND space = $2"
          " UNION ALL SELECT 1 FROM categories WHERE tenant = $1 AND"
          " space = $2 LIMIT 1",
          tenant, id)
      .empty();
}

void DeleteSpaceRow(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& id) {
  tx.exec_params("DELETE FROM spaces WHERE tenant = $1 AND id = $2", tenant,
                 id);
}

std::optional<v1::Category> FindCategory(pqxx::transaction_base& tx,
                                         const std::string& tenant,
                                         const std::string& space,
                                         const std::string& id, bool lock) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kCategoryColumns,
                   " FROM categories WHERE tenant = $1 AND space = $2 AND"
                   " id = $3",
                   lock ? " FOR UPDATE" : ""),
      tenant, space, id);
  if (rows.empty()) return std::nullopt;
  return CategoryFromRow(tenant, space, rows[0]);
}

bool InsertCategory(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& space, const std::string& id,
                    const v1::Category& category) {
  const pqxx::binarystring name(category.display_name().SerializeAsString());
  const pqxx::binarystring description(
      category.description().SerializeAsString());
  return !tx.exec_params(
                "INSERT INTO categories (tenant, space, id, display_order,"
                " state, display_name, description)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT DO NOTHING RETURNING 1",
                tenant, space, id, category.display_order(),
                static_cast<int>(category.state()), name, description)
              .empty();
}

void UpdateCategoryRow(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& space, const std::string& id,
                       const v1::Category& category) {
  const pqxx::binarystring name(category.display_name().SerializeAsString());
  const pqxx::binarystring description(
      category.description().SerializeAsString());
  tx.exec_params(
      "UPDATE categories SET display_order = $4, state = $5,"
      " display_name = $6, description = $7, version = version + 1,"
      " update_time = now() WHERE tenant = $1 AND space = $2 AND id = $3",
      tenant, space, id, category.display_order(),
      static_cast<int>(category.state()), name, description);
}

std::vector<v1::Category> ListCategoryRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& space, bool include_archived,
    std::optional<std::pair<int, std::string>> after, int limit) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kCategoryColumns,
                   " FROM categories WHERE tenant = $1 AND space = $2"
                   " AND ($3 OR state = 1)"
                   " AND (NOT $4 OR (display_order, id) > ($5, $6))"
                   " ORDER BY display_order, id LIMIT $7"),
      tenant, space, include_archived, after.has_value(),
      after ? after->first : 0, after ? after->second : std::string(), limit);
  std::vector<v1::Category> categories;
  for (const pqxx::row& row : rows) {
    categories.push_back(CategoryFromRow(tenant, space, row));
  }
  return categories;
}

bool CategoryIsEmpty(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& space, const std::string& id) {
  return tx
      .exec_params(
          "SELECT 1 FROM posts WHERE tenant = $1 AND space = $2 AND"
          " category = $3 LIMIT 1",
          tenant, space, id)
      .empty();
}

void DeleteCategoryRow(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& space, const std::string& id) {
  tx.exec_params(
      "DELETE FROM categories WHERE tenant = $1 AND space = $2 AND id = $3",
      tenant, space, id);
}

}  // namespace agora::content
