// The numbered schema migrations of the state file. Each runs in its own transaction together
// with its row in `schema_version`, so a file is always at one whole version.
#pragma once

#include "common/expected.hpp"

#include <vector>

namespace SQLite {
class Database;
}

namespace lmharvest {

/// The versions of this binary's migrations, in order.
std::vector<int> schema_versions();
/// The newest schema version this binary knows.
int latest_schema_version();

/// The file's schema version: 0 for a new, empty file.
int schema_version(SQLite::Database& db);

/// Applies, in order, every migration above the file's version up to `up_to` (tests stop
/// early to make an older file). Returns the version reached, or an error when the file's
/// version is newer than this binary knows. Throws SQLite::Exception when SQLite fails.
Expected<int> migrate(SQLite::Database& db, int up_to = latest_schema_version());

} // namespace lmharvest
