#include "gateway/path_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace agora::gateway {
namespace {

bool IsIdentifier(absl::string_view text) {
  if (text.empty() || absl::ascii_isdigit(text[0])) return false;
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

bool IsLiteral(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c == '/' || c == '{' || c == '}' || c == '*' || c == '=' || c == ':' ||
        c == '?' || c == '#' || absl::ascii_iscntrl(c) || c == ' ') {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(absl::string_view text,
                                         bool decode_slash) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      const char decoded = static_cast<char>(high * 16 + low);
      if (decoded == '/' && !decode_slash) {
        out.append(text.data() + i, 3);
      } else {
        c = decoded;
        out.push_back(c);
      }
      i += 2;
    } else {
      out.push_back(c);
    }
    if (absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate parsed;
  parsed.text_ = std::string(text);
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("path template \"", text, "\": ", why));
  };
  if (text.empty() || text[0] != '/') return invalid("must start with /");
  absl::string_view rest = text.substr(1);
  // The verb follows the last ':' outside braces.
  int depth = 0;
  size_t verb_at = absl::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{') ++depth;
    if (rest[i] == '}') --depth;
    if (rest[i] == ':' && depth == 0) verb_at = i;
  }
  if (verb_at != absl::string_view::npos) {
    parsed.verb_ = std::string(rest.substr(verb_at + 1));
    if (!IsLiteral(parsed.verb_)) return invalid("bad verb");
    rest = rest.substr(0, verb_at);
  }

  // Splits on '/' outside braces.
  std::vector<std::string> parts;
  depth = 0;
  std::string current;
  for (char c : rest) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (depth < 0 || depth > 1) return invalid("unbalanced braces");
    if (c == '/' && depth == 0) {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (depth != 0) return invalid("unbalanced braces");
  parts.push_back(std::move(current));

  auto add_segment = [&](absl::string_view part) -> absl::Status {
    if (part == "*") {
      parsed.segments_.push_back({SegmentKind::kWildcard, ""});
    } else if (part == "**") {
      parsed.segments_.push_back({SegmentKind::kDoubleWildcard, ""});
    } else if (IsLiteral(part)) {
      parsed.segments_.push_back({SegmentKind::kLiteral, std::string(part)});
    } else {
      return invalid(absl::StrCat("bad segment \"", part, "\""));
    }
    return absl::OkStatus();
  };

  for (const std::string& part : parts) {
    if (!part.empty() && part.front() == '{') {
      if (part.back() != '}') return invalid("text after a variable");
      absl::string_view inner(part);
      inner = inner.substr(1, inner.size() - 2);
      const size_t equals = inner.find('=');
      const absl::string_view field_path = inner.substr(0, equals);
      for (absl::string_view ident : absl::StrSplit(field_path, '.')) {
        if (!IsIdentifier(ident)) return invalid("bad variable field path");
      }
      Variable variable{std::string(field_path), parsed.segments_.size(), 0};
      if (equals == absl::string_view::npos) {
        parsed.segments_.push_back({SegmentKind::kWildcard, ""});
      } else {
        for (absl::string_view sub :
             absl::StrSplit(inner.substr(equals + 1), '/')) {
          if (absl::Status added = add_segment(sub); !added.ok()) {
            return added;
          }
        }
      }
      variable.end_segment = parsed.segments_.size();
      for (const Variable& other : parsed.variables_) {
        if (other.field_path == variable.field_path) {
          return invalid("variable bound twice");
        }
      }
      parsed.variables_.push_back(std::move(variable));
    } else if (absl::Status added = add_segment(part); !added.ok()) {
      return added;
    }
  }
  for (size_t i = 0; i + 1 < parsed.segments_.size(); ++i) {
    if (parsed.segments_[i].kind == SegmentKind::kDoubleWildcard) {
      return invalid("** must be the last segment");
    }
  }
  return parsed;
}

absl::StatusOr<std::optional<std::vector<PathBinding>>> PathTemplate::Match(
    absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  path.remove_prefix(1);
  const size_t last_slash = path.rfind('/');
  const size_t colon = path.rfind(':');
  const bool has_verb =
      colon != absl::string_view::npos &&
      (last_slash == absl::string_view::npos || colon > last_slash);
  if (!verb_.empty()) {
    if (!has_verb || path.substr(colon + 1) != verb_) return std::nullopt;
    path = path.substr(0, colon);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  const bool ends_with_double =
      !segments_.empty() &&
      segments_.back().kind == SegmentKind::kDoubleWildcard;
  if (ends_with_double ? parts.size() < segments_.size() - 1
                       : parts.size() != segments_.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    if (segment.kind == SegmentKind::kDoubleWildcard) break;
    if (parts[i].empty()) return std::nullopt;
    if (segment.kind == SegmentKind::kLiteral && parts[i] != segment.literal) {
      return std::nullopt;
    }
  }
  std::vector<PathBinding> bindings;
  bindings.reserve(variables_.size());
  for (const Variable& variable : variables_) {
    const bool to_end =
        variable.end_segment == segments_.size() && ends_with_double;
    const size_t end = to_end ? parts.size() : variable.end_segment;
    const bool single = end - variable.first_segment == 1 && !to_end;
    std::string raw;
    for (size_t i = variable.first_segment; i < end; ++i) {
      if (i > variable.first_segment) raw.push_back('/');
      absl::StrAppend(&raw, parts[i]);
    }
    std::optional<std::string> value = PercentDecode(raw, single);
    if (!value.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(variable.field_path, ": badly encoded path segment"));
    }
    bindings.push_back({variable.field_path, *std::move(value)});
  }
  return std::optional<std::vector<PathBinding>>(std::move(bindings));
}

std::vector<int> PathTemplate::Specificity() const {
  std::vector<int> score;
  score.push_back(verb_.empty() ? 0 : 1);
  int literals = 0, doubles = 0;
  for (const Segment& segment : segments_) {
    if (segment.kind == SegmentKind::kLiteral) ++literals;
    if (segment.kind == SegmentKind::kDoubleWildcard) ++doubles;
  }
  score.push_back(-doubles);
  score.push_back(literals);
  return score;
}

}  // namespace agora::gateway
