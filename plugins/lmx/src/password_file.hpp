// The LM-X remote-administration password, read from a file at close time so that it never
// sits in the host's config, command line or logs.
#pragma once

#include <lmharvest/plugin.hpp>
#include <string>

namespace lmharvest::lmx {

/// The file's content without surrounding blanks and newlines. Throws sdk::Error
/// (LH_ERR_GENERIC when it cannot be read, LH_ERR_INVALID_ARGUMENT when it is empty); the
/// message names the file, never its content.
std::string read_password_file(const std::string& path);

} // namespace lmharvest::lmx
