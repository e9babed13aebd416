// osquery's "unsafe" rule for what the host will load code from: a plugin file or folder that
// someone other than its owner and root can write, or that belongs to another ordinary user,
// lets that someone run code as the host. Checked before dlopen(), so such a file's
// constructors never run.
#pragma once

#include "common/expected.hpp"

#include <filesystem>

namespace lmharvest {

/// `path` when it (a plugin file or a plugin folder) is owned by root or by this
/// process's user and is not writable by group or others; otherwise the one refusal message:
/// "<path>: unsafe plugin file|folder: <what>; <fix>".
Expected<std::filesystem::path> check_owner_and_mode(const std::filesystem::path& path);

} // namespace lmharvest
