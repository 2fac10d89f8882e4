// Spaces and categories in PostgreSQL: the only code that knows their
// tables. Localized texts are stored serialized; etags are row versions.
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_SPACE_STORE_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_SPACE_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "agora/content/v1/content.pb.h"

namespace agora::content {

std::string SpaceResourceName(const std::string& tenant,
                              const std::string& space);
std::string CategoryResourceName(const std::string& tenant,
                                 const std::string& space,
                                 const std::string& category);

// `lock` takes the row for update.
std::optional<v1::Space> FindSpace(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& id, bool lock = false);
// False when the id is taken.
bool InsertSpace(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& id, const v1::Space& space);
// Writes the mutable fields and bumps the version.
void UpdateSpaceRow(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& id, const v1::Space& space);
// Spaces in (display_order, id) order after the given position; hidden
// ones only when `include_hidden`; kind 0 for every kind.
std::vector<v1::Space> ListSpaceRows(
    pqxx::transaction_base& tx, const std::string& tenant, int kind,
    bool include_hidden, std::optional<std::pair<int, std::string>> after,
    int limit);
// True when the space has no post and no category.
bool SpaceIsEmpty(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& id);
void DeleteSpaceRow(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& id);

std::optional<v1::Category> FindCategory(pqxx::transaction_base& tx,
                                         const std::string& tenant,
                                         const std::string& space,
                                         const std::string& id,
                                         bool lock = false);
bool InsertCategory(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& space, const std::string& id,
                    const v1::Category& category);
void UpdateCategoryRow(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& space, const std::string& id,
                       const v1::Category& category);
std::vector<v1::Category> ListCategoryRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& space, bool include_archived,
    std::optional<std::pair<int, std::string>> after, int limit);
bool CategoryIsEmpty(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& space, const std::string& id);
void DeleteCategoryRow(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& space, const std::string& id);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_SPACE_STORE_H_
