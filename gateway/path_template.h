// A google.api.http path template ("/v1/{name=tenants/*/ideas/*}:publish")
// parsed once at start-up and matched against request paths. Grammar, from
// google/api/http.proto:
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   FieldPath = IDENT { "." IDENT } ;
//   Verb     = ":" LITERAL ;
// A variable without "=" binds one segment ("{id}" is "{id=*}"). "**" may
// only be the last segment before the verb.
#ifndef AGORA_GATEWAY_PATH_TEMPLATE_H_
#define AGORA_GATEWAY_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::gateway {

// A variable bound by a match: the request field path ("share_settings.name")
// and its value, percent-decoded ("tenants/fr/shareSettings").
struct PathBinding {
  std::string field_path;
  std::string value;
};

class PathTemplate {
 public:
  enum class SegmentKind { kLiteral, kWildcard, kDoubleWildcard };
  struct Segment {
    SegmentKind kind;
    std::string literal;  // kLiteral
  };
  struct Variable {
    std::string field_path;
    size_t first_segment;  // index into segments()
    size_t end_segment;    // one past the last; for "**", segments().size()
  };

  // INVALID_ARGUMENT naming what is wrong (the route then is not served).
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The bindings of `path` (no query string) when it matches; nullopt when
  // it does not. INVALID_ARGUMENT when it matches but a variable's value is
  // badly percent-encoded or decodes to a control character.
  absl::StatusOr<std::optional<std::vector<PathBinding>>> Match(
      absl::string_view path) const;

  const std::string& text() const { return text_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Variable>& variables() const { return variables_; }
  const std::string& verb() const { return verb_; }

  // How specific the template is, to pick one when several match: a verb
  // first, then literal segments, then fewer "**". Larger is more specific.
  std::vector<int> Specificity() const;

 private:
  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
};

// Percent-decodes `text` (RFC 3986); "%2F" is decoded only when
// `decode_slash`, as google.api.http asks for single-segment variables.
// nullopt for a malformed escape or a decoded control character.
std::optional<std::string> PercentDecode(absl::string_view text,
                                         bool decode_slash);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_PATH_TEMPLATE_H_
