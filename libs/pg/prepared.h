// Statements prepared once per connection and reused: PostgreSQL parses
// and plans them on the first use only, which matters for the wide queries
// hot read paths run thousands of times a second. The statement's name is a
// hash of its text, so any fixed SQL string can be run this way; libpqxx
// 6.4 keeps the definitions per connection and prepares on first use
// (preparing again with the same text is a no-op).
#ifndef AGORA_LIBS_PG_PREPARED_H_
#define AGORA_LIBS_PG_PREPARED_H_

#include <functional>
#include <pqxx/transaction_base>
#include <string>
#include <utility>

namespace agora::pg {

// The name a statement with this text is prepared under.
inline std::string PreparedName(const std::string& sql) {
  return "agora_" + std::to_string(std::hash<std::string>{}(sql));
}

// Runs `sql` (with $1... placeholders) as a prepared statement of the
// transaction's connection. `sql` must come from fixed fragments, never
// from input: each distinct text is prepared once per connection.
template <typename... Args>
pqxx::result ExecPrepared(pqxx::transaction_base& tx, const std::string& sql,
                          Args&&... args) {
  const std::string name = PreparedName(sql);
  tx.conn().prepare(name, sql);
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_PREPARED_H_
