// Connection strings: a service's URL plus its schema as search_path, so
// that its SQL names its own tables unqualified.
#ifndef AGORA_LIBS_PG_CONNINFO_H_
#define AGORA_LIBS_PG_CONNINFO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::pg {

// "postgresql://h/db" -> "postgresql://h/db?options=-csearch_path%3Dschema"
// (keeps existing query parameters). `schema` must be [a-z0-9_]+.
std::string WithSearchPath(absl::string_view url, absl::string_view schema);

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_CONNINFO_H_
