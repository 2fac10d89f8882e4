// JSON/HTTP <-> protobuf for a matched route, with protobuf's JSON mapping:
// the request message is the body (all of it for body "*", one field for
// body "<field>"), then the query parameters, then the path variables, each
// later source winning over an earlier one for the same field. Nothing is
// sent upstream unless all of it parsed: bad JSON, unknown fields, wrong
// types and bad parameters are INVALID_ARGUMENT naming the field.
#ifndef AGORA_GATEWAY_TRANSCODER_H_
#define AGORA_GATEWAY_TRANSCODER_H_

#include <google/protobuf/dynamic_message.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/contracts.h"
#include "gateway/route_table.h"

namespace agora::gateway {

// Deepest JSON nesting accepted in a body; deeper bodies are refused before
// any parser recurses into them.
inline constexpr int kMaxJsonDepth = 32;

class Transcoder {
 public:
  // `contracts` and `routes` must outlive the transcoder.
  Transcoder(const Contracts& contracts, const RouteTable& routes);

  // The serialized request message of `match` for this query string
  // (without '?') and body.
  absl::StatusOr<std::string> RequestBytes(const RouteMatch& match,
                                           absl::string_view query,
                                           absl::string_view body) const;

  // The JSON of a serialized response of `route` (its response_body field
  // only, when the route names one).
  absl::StatusOr<std::string> ResponseJson(const Route& route,
                                           const std::string& bytes) const;

  // Plain conversions for a message type of the contracts.
  absl::StatusOr<std::string> JsonToBytes(
      const google::protobuf::Descriptor* type, absl::string_view json) const;
  absl::StatusOr<std::string> BytesToJson(
      const google::protobuf::Descriptor* type, const std::string& bytes) const;

 private:
  const google::protobuf::Message* Prototype(
      const google::protobuf::Descriptor* type) const;

  const Contracts& contracts_;
  // Prototypes made at construction for every type a route uses, so that
  // requests never take the factory's lock.
  mutable google::protobuf::DynamicMessageFactory factory_;
  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      const google::protobuf::Message*>
      prototypes_;
};

// INVALID_ARGUMENT when `json` nests deeper than `max_depth` (strings are
// skipped correctly); cheap, linear, no recursion.
absl::Status CheckJsonDepth(absl::string_view json, int max_depth);

// The first line of a protobuf JSON error, shortened: its later lines quote
// the input back.
std::string CleanJsonError(absl::string_view message);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_TRANSCODER_H_
