// The local admin's secret for scripts on the service's machine: the HTTP API takes it as an
// admin token named "local-admin" besides the [[tokens]] of the config. The service writes it
// to <state_dir>/api-token, readable by its owner only, and refuses to start when a group or
// others may read it. The CLI does not send it: it talks to the service over the control
// socket (control_socket.hpp).
#pragma once

#include "common/expected.hpp"

#include <filesystem>
#include <string>

namespace lmharvest {

std::filesystem::path api_token_file(const std::filesystem::path& state_dir);

/// True when state_dir holds a token file that only its owner may read, false when there is
/// none; an error, with the `chmod 600` fix, when a group or others may read it.
Expected<bool> check_api_token_mode(const std::filesystem::path& state_dir);

/// The token in state_dir, created (random, mode 0600) when there is none.
Expected<std::string> load_or_create_api_token(const std::filesystem::path& state_dir);

/// The token in state_dir, or an error that says who may read it (or that too many may).
Expected<std::string> read_api_token(const std::filesystem::path& state_dir);

} // namespace lmharvest
