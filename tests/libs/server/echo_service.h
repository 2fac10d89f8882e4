// The test service: a thin gRPC handler over nothing, in the shape every
// Agora handler has (validate, act, map absl::Status to grpc::Status).
#ifndef AGORA_TESTS_LIBS_SERVER_ECHO_SERVICE_H_
#define AGORA_TESTS_LIBS_SERVER_ECHO_SERVICE_H_

#include "agora/testing/v1/echo.grpc.pb.h"

namespace agora::testing {

class EchoService final : public agora::testing::v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;
};

}  // namespace agora::testing

#endif  // AGORA_TESTS_LIBS_SERVER_ECHO_SERVICE_H_
