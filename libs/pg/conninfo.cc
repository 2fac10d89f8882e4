#include "libs/pg/conninfo.h"

#include "absl/strings/str_cat.h"

namespace agora::pg {

std::string WithSearchPath(absl::string_view url, absl::string_view schema) {
  return absl::StrCat(url, url.find('?') == absl::string_view::npos ? "?" : "&",
                      "options=-csearch_path%3D", schema);
}

}  // namespace agora::pg
