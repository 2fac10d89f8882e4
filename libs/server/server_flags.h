// The flags every service binary shares (each also settable as AGORA_<NAME>):
//   --listen, --metrics_port, --max_receive_bytes, --drain_grace,
//   --shutdown_deadline, --health_interval, --log_level.
#ifndef AGORA_LIBS_SERVER_SERVER_FLAGS_H_
#define AGORA_LIBS_SERVER_SERVER_FLAGS_H_

#include <string>

#include "libs/server/service_runner.h"

namespace agora::server {

// ServerOptions from the parsed flags; `default_port` is the service's
// well-known port (identity 50051, content 50052 ...) used when --listen is
// not given.
ServerOptions ServerOptionsFromFlags(int default_port);

// The --log_level flag.
std::string LogLevelFlag();

}  // namespace agora::server

#endif  // AGORA_LIBS_SERVER_SERVER_FLAGS_H_
