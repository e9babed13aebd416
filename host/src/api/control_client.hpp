// The CLI's end of the local control channel (control_socket.hpp). It talks only to a service
// the kernel says runs as root or as the owner of state_dir, and it never sends anything before
// it has checked that.
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace lmharvest {

/// Sends one request to the service of `state_dir` and returns its answer; an error says why
/// nothing was asked (no service, an impostor, a timeout).
Expected<nlohmann::json> ask_service(const std::filesystem::path& state_dir,
                                     const nlohmann::json& request,
                                     std::chrono::milliseconds timeout);

} // namespace lmharvest
