#include "libs/status/protobuf_status.h"

#include <string>

namespace agora::status {

absl::Status FromProtobufStatus(const google::protobuf::util::Status& status) {
  if (status.ok()) return absl::OkStatus();
  // protobuf's StatusCode follows google.rpc.Code, as absl's does.
  return absl::Status(static_cast<absl::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace agora::status
