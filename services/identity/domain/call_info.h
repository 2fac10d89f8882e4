// What the domain needs to know about a call beyond its request: the client
// address, for throttling. The gateway forwards the browser's address in
// `x-forwarded-for` (it overwrites what clients send); a direct gRPC caller
// is known by its peer address.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_CALL_INFO_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_CALL_INFO_H_

#include <grpcpp/server_context.h>

#include <string>

namespace agora::identity {

struct CallInfo {
  std::string client_address;
};

CallInfo CallInfoOf(const grpc::ServerContextBase& context);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_CALL_INFO_H_
