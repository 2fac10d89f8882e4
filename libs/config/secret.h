// Secrets never sit in flags or in the repository: a flag names where the
// secret is, "file:/run/secrets/x" (a mounted Kubernetes Secret) or
// "env:NAME" (an environment variable), and ReadSecret fetches it.
#ifndef AGORA_LIBS_CONFIG_SECRET_H_
#define AGORA_LIBS_CONFIG_SECRET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::config {

// The secret `reference` points at, without a trailing newline.
// INVALID_ARGUMENT for a reference that is neither file: nor env: (a literal
// secret is refused so that it cannot end up in a process list or a log);
// NOT_FOUND when the file or variable does not exist or is empty.
absl::StatusOr<std::string> ReadSecret(absl::string_view reference);

}  // namespace agora::config

#endif  // AGORA_LIBS_CONFIG_SECRET_H_
