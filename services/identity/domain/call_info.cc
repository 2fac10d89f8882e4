#include "services/identity/domain/call_info.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/server/request_context.h"

namespace agora::identity {

CallInfo CallInfoOf(const grpc::ServerContextBase& context) {
  CallInfo call;
  std::optional<std::string> forwarded =
      server::ClientMetadata(context, "x-forwarded-for");
  if (forwarded.has_value() && !forwarded->empty()) {
    const absl::string_view first =
        absl::StripAsciiWhitespace(*absl::StrSplit(*forwarded, ',').begin());
    call.client_address = std::string(first.substr(0, 64));
    return call;
  }
  // "ipv4:127.0.0.1:53412" or "ipv6:[::1]:53412": the port is dropped, a
  // client opening new connections is still one address.
  const std::string peer_text = context.peer();  // returned by value
  absl::string_view peer = peer_text;
  const size_t port = peer.rfind(':');
  const size_t scheme = peer.find(':');
  if (port != absl::string_view::npos && scheme != port) {
    peer = peer.substr(scheme + 1, port - scheme - 1);
  }
  call.client_address = std::string(peer.substr(0, 64));
  return call;
}

}  // namespace agora::identity
