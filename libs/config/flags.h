// Command-line flags with environment overrides: every flag --name may also be
// set as AGORA_NAME (upper case) in the environment, which is how Kubernetes
// manifests and deploy/up configure services. The command line wins over the
// environment, the environment over the default.
#ifndef AGORA_LIBS_CONFIG_FLAGS_H_
#define AGORA_LIBS_CONFIG_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace agora::config {

// The environment variable that overrides flag `flag_name`.
std::string EnvironmentVariableFor(absl::string_view flag_name);

// Parses argv (exits with usage on --help or a bad flag), then applies the
// AGORA_* environment to flags not given on the command line. Returns the
// positional arguments. A malformed environment value exits with a message
// naming the variable, as a malformed flag does.
std::vector<char*> ParseFlags(int argc, char** argv, absl::string_view usage);

// Sets every registered flag whose AGORA_* variable is in the environment.
// ParseFlags calls it before parsing argv. Split out for tests.
absl::Status ApplyEnvironmentOverrides();

}  // namespace agora::config

#endif  // AGORA_LIBS_CONFIG_FLAGS_H_
