// osquery's "unsafe" rule for what the host will load code from: a plugin file or folder that
// someone other than its owner and root can write, or that belongs to another ordinary user,
// lets that someone run code as the host. Checked before dlopen(), so such a file's
// constructors never run.
#pragma once

#include "common/expected.hpp"

#include <filesystem>

namespace lmharvest {

/// `path` (a plugin file or folder) when root or this process's user owns it and neither its
/// group nor others may write it; otherwise the one refusal:
/// "<path>: unsafe plugin file|folder: <what>; <fix>".
Expected<std::filesystem::path> check_owner_and_mode(const std::filesystem::path& path);

} // namespace lmharvest
