// The secret that authorizes changes through the HTTP API (closing a session). The service
// writes it to <state_dir>/api-token, readable by its owner only; the CLI, run by someone who
// may read the state folder, sends it as "Authorization: Bearer <token>". Reading stays open.
#pragma once

#include "common/expected.hpp"

#include <filesystem>
#include <string>

namespace lmharvest {

std::filesystem::path api_token_file(const std::filesystem::path& state_dir);

/// The token in state_dir, created (random, mode 0600) when there is none.
Expected<std::string> load_or_create_api_token(const std::filesystem::path& state_dir);

/// The token in state_dir, or an error that says who may read it.
Expected<std::string> read_api_token(const std::filesystem::path& state_dir);

} // namespace lmharvest
