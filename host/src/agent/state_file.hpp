// Files of the agent's state folder are replaced whole: written beside, then renamed over, so
// that a reader (the agent after a crash, `lmharvest agent recent`) never sees half a file.
#pragma once

#include "common/expected.hpp"

#include <filesystem>
#include <string_view>

namespace lmharvest::agent {

Expected<void> replace_file(const std::filesystem::path& file, std::string_view content);

} // namespace lmharvest::agent
