#include "store/store.hpp"

#include "store/migrations.hpp"
#include "store/reader_pool.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <system_error>

namespace lmharvest {
namespace {

// Long enough for a writer outside the host (sqlite3) to finish; the host's own writes are
// serialized by the Store's mutex, and its readers never block its writer (WAL).
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

std::string damaged(const std::string& name, const std::string& problem) {
    return name + ": the database is damaged (" + problem +
           "); stop the service, then either recover what is readable with `sqlite3 " + name +
           " .recover | sqlite3 " + name + ".new` and move the .new file in its place, or move " +
           name + " away to start with an empty store";
}

// PRAGMA quick_check reads every page (not the index contents, which full integrity_check
// would cross-check): linear in the file's size, once at start.
Expected<std::unique_ptr<SQLite::Database>> quick_checked(std::unique_ptr<SQLite::Database> db,
                                                          const std::string& name) {
    SQLite::Statement check(*db, "PRAGMA quick_check(1)");
    const std::string verdict = check.executeStep() ? check.getColumn(0).getString() : "";
    if (verdict != "ok")
        return unexpected(damaged(name, "quick_check: " + verdict));
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
        auto db = quick_checked(connect(file), name);
        if (!db)
            return unexpected(db.error());
        auto version = migrate(**db);
        if (!version)
            return unexpected(name + ": " + version.error());
        return std::unique_ptr<Store>(new Store(std::move(*db), file));
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_NOTADB)
            return unexpected(name + ": not an SQLite database (" + e.what() +
                              "); move it away or point state_dir elsewhere");
        if (e.getErrorCode() == SQLITE_CORRUPT)
            return unexpected(damaged(name, e.what()));
        return unexpected(name + ": " + e.what());
    }
}

// Enough for the HTTP workers' reads to rarely wait for each other; each has its own page cache.
constexpr std::size_t reader_connections = 4;
// A streamed list holds its connection until its client has read it all, which a slow client
// makes long: streams get their own, as many as the API serves requests at once (its 16
// workers, api/request_guard.hpp), so a stream never waits for one and no other read waits
// for a stream.
constexpr std::size_t stream_connections = 16;

Store::Store(std::unique_ptr<SQLite::Database> db, std::filesystem::path file)
    : db_(std::move(db)), readers_(std::make_unique<ReaderPool>(file, reader_connections)),
      stream_readers_(std::make_unique<ReaderPool>(file, stream_connections)),
      file_(std::move(file)) {
    struct stat info {};
    if (::stat(file_.c_str(), &info) == 0) {
        device_ = info.st_dev;
        inode_ = info.st_ino;
    }
}

Store::FileState Store::file_state() const {
    struct stat info {};
    if (::stat(file_.c_str(), &info) != 0)
        return FileState::missing;
    return info.st_dev == device_ && info.st_ino == inode_ ? FileState::same : FileState::replaced;
}

const char* to_string(Store::FileState state) {
    switch (state) {
    case Store::FileState::same:
        break;
    case Store::FileState::missing:
        return "deleted";
    case Store::FileState::replaced:
        return "replaced";
    }
    return "ok";
}

Store::~Store() = default;

} // namespace lmharvest
