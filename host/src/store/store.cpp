#include "store/store.hpp"

#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <system_error>

namespace lmharvest {
namespace {

// Long enough for a reader outside the host (sqlite3, a backup) to finish; the host itself
// never waits on itself because every call holds the Store's mutex.
constexpr int busy_timeout_ms = 5000;

std::unique_ptr<SQLite::Database> connect(const std::filesystem::path& file) {
    auto db = std::make_unique<SQLite::Database>(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                 busy_timeout_ms);
    // SQLite reads the file lazily: this first statement is where "not a database" shows.
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA foreign_keys=ON");
    // With WAL, NORMAL loses at most the last commits on power loss, never consistency.
    db->exec("PRAGMA synchronous=NORMAL");
    return db;
}

} // namespace

Expected<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::error_code error;
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path(), error);
    if (error)
        return unexpected(name + ": cannot create its folder: " + error.message());
    try {
        auto db = connect(file);
        auto version = migrate(*db);
        if (!version)
            return unexpected(name + ": " + version.error());
        return std::unique_ptr<Store>(new Store(std::move(db)));
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_NOTADB)
            return unexpected(name + ": not an SQLite database (" + e.what() +
                              "); move it away or point state_dir elsewhere");
        return unexpected(name + ": " + e.what());
    }
}

Store::Store(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}

Store::~Store() = default;

} // namespace lmharvest
