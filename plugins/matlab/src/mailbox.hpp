// The files of the mailbox an in-app extension reads (docs/handlers.md): key=value lines,
// written to a temporary file and renamed, in a folder private to the user.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace lmharvest::matlab {

using Pairs = std::map<std::string, std::string>;

/// The key=value lines of `file`, or nullopt when it does not exist.
std::optional<Pairs> read_pairs(const std::filesystem::path& file);

/// Writes `pairs` to `file` through a temporary file and a rename. Throws sdk::Error.
void write_pairs(const std::filesystem::path& file, const Pairs& pairs);

/// Throws sdk::Error(LH_ERR_PERMISSION) unless `folder` is a folder (not a link) owned by this
/// user with no permission for group or others: nobody else may make the app save or exit.
void require_private(const std::filesystem::path& folder);

} // namespace lmharvest::matlab
