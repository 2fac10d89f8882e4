// absl::Status <-> grpc::Status. gRPC 1.51 has no public converter; the two
// code enums share their numeric values (both follow google.rpc.Code), which
// the .cc checks at compile time.
#ifndef AGORA_LIBS_STATUS_GRPC_STATUS_H_
#define AGORA_LIBS_STATUS_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace agora::status {

// The status a gRPC handler returns for `status`. Message kept as is: domain
// code writes messages meant for callers ("title: at most 200 characters").
grpc::Status ToGrpcStatus(const absl::Status& status);

// The absl::Status of a finished client call.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace agora::status

#endif  // AGORA_LIBS_STATUS_GRPC_STATUS_H_
