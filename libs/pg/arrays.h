// PostgreSQL array literals for libpqxx 6.4, which binds no std::vector:
// a statement takes a whole column of values as one text[] parameter
// ("unnest($1::text[])"), so a batch of rows is one statement, not one
// round trip per row.
#ifndef AGORA_LIBS_PG_ARRAYS_H_
#define AGORA_LIBS_PG_ARRAYS_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/types/span.h"

namespace agora::pg {

// {"a","b\"c"}: every element quoted, so any text (commas, braces, quotes,
// backslashes, NULL spelled out) travels unchanged.
std::string ToTextArray(absl::Span<const std::string> values);

// The elements of a text[] column (NULL elements are skipped).
std::vector<std::string> ParseTextArray(const pqxx::field& field);

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_ARRAYS_H_
