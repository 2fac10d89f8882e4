// Protobuf 3.21's util functions (JSON mapping, message differencer) return
// google::protobuf::util::Status, not absl::Status: adapt them here, once.
#ifndef AGORA_LIBS_STATUS_PROTOBUF_STATUS_H_
#define AGORA_LIBS_STATUS_PROTOBUF_STATUS_H_

#include <google/protobuf/stubs/status.h>

#include "absl/status/status.h"

namespace agora::status {

absl::Status FromProtobufStatus(const google::protobuf::util::Status& status);

}  // namespace agora::status

#endif  // AGORA_LIBS_STATUS_PROTOBUF_STATUS_H_
