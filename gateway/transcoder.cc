#include "gateway/transcoder.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wire_format_lite.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/protobuf_status.h"

namespace agora::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
namespace util = google::protobuf::util;

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) ||
        (extra == 3 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// Finds a field by proto name, then by JSON name.
const FieldDescriptor* FindField(const Descriptor* type,
                                 absl::string_view name) {
  const std::string key(name);
  if (const FieldDescriptor* field = type->FindFieldByName(key)) return field;
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == key) return type->field(i);
  }
  return nullptr;
}

bool IsWellKnownStringType(const Descriptor* type) {
  const std::string& name = type->full_name();
  return name == "google.protobuf.Timestamp" ||
         name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

bool IsWrapperType(const Descriptor* type) {
  return type->file()->name() == "google/protobuf/wrappers.proto";
}

class BindingWriter {
 public:
  BindingWriter(const Transcoder& transcoder, Message* message)
      : transcoder_(transcoder), message_(message) {}

  // Sets (or appends to, for repeated fields) the field at `path` from its
  // text form. `path` components are proto or JSON names.
  absl::Status Set(absl::string_view display, absl::string_view path,
                   absl::string_view value) {
    Message* target = message_;
    const FieldDescriptor* field = nullptr;
    std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
    for (size_t i = 0; i < parts.size(); ++i) {
      field = FindField(target->GetDescriptor(), parts[i]);
      if (field == nullptr) return Invalid(display, "unknown field");
      if (i + 1 < parts.size()) {
        if (field->type() != FieldDescriptor::TYPE_MESSAGE ||
            field->is_repeated()) {
          return Invalid(display, "unknown field");
        }
        target = target->GetReflection()->MutableMessage(target, field);
      }
    }
    return SetScalar(display, target, field, value);
  }

 private:
  absl::Status SetScalar(absl::string_view display, Message* target,
                         const FieldDescriptor* field,
                         absl::string_view value) {
    const Reflection* reflection = target->GetReflection();
    const bool repeated = field->is_repeated();
    if (field->is_map()) return Invalid(display, "maps cannot be set here");
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string text(value);
        if (field->type() == FieldDescriptor::TYPE_BYTES) {
          if (!absl::WebSafeBase64Unescape(value, &text) &&
              !absl::Base64Unescape(value, &text)) {
            return Invalid(display, "not base64");
          }
        } else if (!IsValidUtf8(value)) {
          return Invalid(display, "not UTF-8");
        }
        repeated ? reflection->AddString(target, field, std::move(text))
                 : reflection->SetString(target, field, std::move(text));
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v;
        if (!absl::SimpleAtoi(value, &v))
          return Invalid(display, "not an int32");
        repeated ? reflection->AddInt32(target, field, v)
                 : reflection->SetInt32(target, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v;
        if (!absl::SimpleAtoi(value, &v))
          return Invalid(display, "not an int64");
        repeated ? reflection->AddInt64(target, field, v)
                 : reflection->SetInt64(target, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t v;
        if (!absl::SimpleAtoi(value, &v))
          return Invalid(display, "not a uint32");
        repeated ? reflection->AddUInt32(target, field, v)
                 : reflection->SetUInt32(target, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v;
        if (!absl::SimpleAtoi(value, &v))
          return Invalid(display, "not a uint64");
        repeated ? reflection->AddUInt64(target, field, v)
                 : reflection->SetUInt64(target, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        double v;
        if (!absl::SimpleAtod(value, &v))
          return Invalid(display, "not a number");
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
          repeated ? reflection->AddFloat(target, field, static_cast<float>(v))
                   : reflection->SetFloat(target, field, static_cast<float>(v));
        } else {
          repeated ? reflection->AddDouble(target, field, v)
                   : reflection->SetDouble(target, field, v);
        }
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v;
        if (value == "true") {
          v = true;
        } else if (value == "false") {
          v = false;
        } else {
          return Invalid(display, "not true or false");
        }
        repeated ? reflection->AddBool(target, field, v)
                 : reflection->SetBool(target, field, v);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const google::protobuf::EnumValueDescriptor* enum_value =
            field->enum_type()->FindValueByName(std::string(value));
        int number;
        if (enum_value == nullptr && absl::SimpleAtoi(value, &number)) {
          enum_value = field->enum_type()->FindValueByNumber(number);
        }
        if (enum_value == nullptr)
          return Invalid(display, "unknown enum value");
        repeated ? reflection->AddEnum(target, field, enum_value)
                 : reflection->SetEnum(target, field, enum_value);
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Descriptor* type = field->message_type();
        Message* sub = repeated ? reflection->AddMessage(target, field)
                                : reflection->MutableMessage(target, field);
        if (IsWellKnownStringType(type)) {
          // Their JSON form is a string: let protobuf's parser read it.
          if (!IsValidUtf8(value) ||
              value.find_first_of("\"\\") != absl::string_view::npos) {
            return Invalid(display, "bad value");
          }
          const std::string quoted = absl::StrCat("\"", value, "\"");
          absl::StatusOr<std::string> bytes =
              transcoder_.JsonToBytes(type, quoted);
          if (!bytes.ok() || !sub->ParseFromString(*bytes)) {
            return Invalid(display, "bad value");
          }
          return absl::OkStatus();
        }
        if (IsWrapperType(type)) {
          return SetScalar(display, sub, type->FindFieldByName("value"), value);
        }
        return Invalid(display, "cannot be set from a parameter");
      }
    }
    return Invalid(display, "unsupported type");
  }

  const Transcoder& transcoder_;
  Message* message_;
};

// One "key=value" of a query string, decoded ('+' is a space).
absl::StatusOr<std::pair<std::string, std::string>> DecodeParameter(
    absl::string_view pair) {
  const size_t equals = pair.find('=');
  std::string key(pair.substr(0, equals));
  std::string value(
      equals == absl::string_view::npos ? "" : pair.substr(equals + 1));
  for (std::string* text : {&key, &value}) {
    std::replace(text->begin(), text->end(), '+', ' ');
    std::optional<std::string> decoded = PercentDecode(*text, true);
    if (!decoded.has_value()) {
      return absl::InvalidArgumentError("badly encoded query parameter");
    }
    *text = *std::move(decoded);
  }
  return std::make_pair(std::move(key), std::move(value));
}

}  // namespace

absl::Status CheckJsonDepth(absl::string_view json, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return absl::InvalidArgumentError(
            absl::StrCat("body: nested deeper than ", max_depth, " levels"));
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return absl::OkStatus();
}

std::string CleanJsonError(absl::string_view message) {
  absl::string_view first = message.substr(0, message.find('\n'));
  if (first.size() > 200) first = first.substr(0, 200);
  std::string clean;
  for (char c : first) {
    clean.push_back(absl::ascii_iscntrl(static_cast<unsigned char>(c)) ? ' '
                                                                       : c);
  }
  return clean;
}

Transcoder::Transcoder(const Contracts& contracts, const RouteTable& routes)
    : contracts_(contracts), factory_(&contracts.pool()) {
  for (const std::unique_ptr<Route>& route : routes.routes()) {
    for (const Descriptor* type :
         {route->method->input_type(), route->method->output_type()}) {
      prototypes_.emplace(type, factory_.GetPrototype(type));
    }
  }
}

const Message* Transcoder::Prototype(const Descriptor* type) const {
  auto it = prototypes_.find(type);
  if (it != prototypes_.end()) return it->second;
  return factory_.GetPrototype(type);  // thread-safe, locks
}

absl::StatusOr<std::string> Transcoder::JsonToBytes(
    const Descriptor* type, absl::string_view json) const {
  if (absl::Status depth = CheckJsonDepth(json, kMaxJsonDepth); !depth.ok()) {
    return depth;
  }
  util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  std::string bytes;
  const util::Status parsed = util::JsonToBinaryString(
      contracts_.resolver(), TypeUrl(type), std::string(json), &bytes, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        CleanJsonError(status::FromProtobufStatus(parsed).message()));
  }
  return bytes;
}

absl::StatusOr<std::string> Transcoder::BytesToJson(
    const Descriptor* type, const std::string& bytes) const {
  util::JsonPrintOptions options;
  std::string json;
  const util::Status printed = util::BinaryToJsonString(
      contracts_.resolver(), TypeUrl(type), bytes, &json, options);
  if (!printed.ok()) {
    return absl::InternalError("response could not be converted to JSON");
  }
  return json;
}

absl::StatusOr<std::string> Transcoder::RequestBytes(
    const RouteMatch& match, absl::string_view query,
    absl::string_view body) const {
  const Route& route = *match.route;
  const Descriptor* input = route.method->input_type();
  std::string bytes;
  const bool empty_body = absl::StripAsciiWhitespace(body).empty();
  if (route.body.empty()) {
    if (!empty_body) {
      return absl::InvalidArgumentError("body: this method takes no body");
    }
  } else if (route.body == "*") {
    absl::StatusOr<std::string> parsed =
        JsonToBytes(input, empty_body ? "{}" : body);
    if (!parsed.ok()) return parsed.status();
    bytes = *std::move(parsed);
  } else if (!empty_body) {
    const FieldDescriptor* field = input->FindFieldByName(route.body);
    if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
        !field->is_repeated()) {
      absl::StatusOr<std::string> parsed =
          JsonToBytes(field->message_type(), body);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(route.body, ".", parsed.status().message()));
      }
      // The field's bytes, framed as field `number` of the request.
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream out(&stream);
      google::protobuf::internal::WireFormatLite::WriteBytes(field->number(),
                                                             *parsed, &out);
    } else {
      // A scalar or repeated body: wrapped as the field of an object. The
      // body must be one JSON value, or it could smuggle other fields in.
      if (!nlohmann::json::accept(body)) {
        return Invalid("body", "not one JSON value");
      }
      std::string wrapped =
          absl::StrCat("{\"", field->json_name(), "\":", body, "}");
      absl::StatusOr<std::string> parsed = JsonToBytes(input, wrapped);
      if (!parsed.ok()) return parsed.status();
      bytes = *std::move(parsed);
    }
  }

  std::unique_ptr<Message> bound(Prototype(input)->New());
  BindingWriter writer(*this, bound.get());
  if (!query.empty()) {
    for (absl::string_view pair : absl::StrSplit(query, '&')) {
      if (pair.empty()) continue;
      absl::StatusOr<std::pair<std::string, std::string>> parameter =
          DecodeParameter(pair);
      if (!parameter.ok()) return parameter.status();
      const std::string& key = parameter->first;
      if (route.body == "*") {
        return Invalid(key,
                       "unknown query parameter (the body holds the "
                       "request)");
      }
      const std::string top(key.substr(0, key.find('.')));
      const FieldDescriptor* top_field = FindField(input, top);
      if (top_field != nullptr && top_field->name() == route.body) {
        return Invalid(key, "unknown query parameter (set it in the body)");
      }
      if (absl::Status set = writer.Set(key, key, parameter->second);
          !set.ok()) {
        return set;
      }
    }
  }
  for (const PathBinding& binding : match.bindings) {
    if (absl::Status set =
            writer.Set(binding.field_path, binding.field_path, binding.value);
        !set.ok()) {
      return set;
    }
  }
  // Later fields win when parsed: the bound fields override the body's.
  bound->AppendToString(&bytes);
  return bytes;
}

absl::StatusOr<std::string> Transcoder::ResponseJson(
    const Route& route, const std::string& bytes) const {
  const Descriptor* output = route.method->output_type();
  if (route.response_body.empty()) return BytesToJson(output, bytes);
  std::unique_ptr<Message> response(Prototype(output)->New());
  if (!response->ParseFromString(bytes)) {
    return absl::InternalError("response could not be parsed");
  }
  const FieldDescriptor* field = output->FindFieldByName(route.response_body);
  const Message& sub = response->GetReflection()->GetMessage(*response, field);
  return BytesToJson(field->message_type(), sub.SerializeAsString());
}

}  // namespace agora::gateway
