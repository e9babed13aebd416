// Opening state files: new, older, newer, foreign and broken ones.
#include "store/migrations.hpp"
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <sstream>

using namespace lmharvest;

namespace {

std::vector<int> applied_versions(const std::filesystem::path& file) {
    SQLite::Database db(file);
    SQLite::Statement select(db, "SELECT version FROM schema_version ORDER BY version");
    std::vector<int> versions;
    while (select.executeStep())
        versions.push_back(select.getColumn(0).getInt());
    return versions;
}

std::vector<int> every_version() {
    return schema_versions();
}

std::string read_all(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("a new file is created with its folders, in WAL mode, at the latest schema") {
    TempDir dir;
    const auto file = dir.path() / "var" / "lib" / "lmharvest" / "state.db";
    auto store = Store::open(file);
    REQUIRE(store.has_value());
    REQUIRE(std::filesystem::exists(file));

    CHECK(applied_versions(file) == every_version());
    SQLite::Database db(file);
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
    for (const char* table : {"servers", "vendors", "features", "sessions", "activity", "denials",
                              "actions", "closed_projects", "poll_skips", "usage_points"})
        CHECK(db.tableExists(table));
    CHECK(db.execAndGet("SELECT min(applied_at) FROM schema_version").getInt64() > 0);
}

TEST_CASE("opening a file twice applies no migration again") {
    StoreOnTempFile s;
    s.store.reset();
    auto again = Store::open(s.file);
    REQUIRE(again.has_value());
    CHECK(applied_versions(s.file) == every_version());
}

TEST_CASE("an older file is migrated in order and keeps its data") {
    TempDir dir;
    const auto file = dir.path() / "state.db";
    {
        SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        auto reached = migrate(db, 1);
        REQUIRE(reached.has_value());
        REQUIRE(*reached == 1);
        REQUIRE_FALSE(db.tableExists("actions"));
        db.exec("INSERT INTO servers (id, adapter, address, state) "
                "VALUES ('old', 'flexnet', '27000@lic1', 'up')");
        db.exec("INSERT INTO sessions (server, identity, vendor, feature, version, user, host, "
                "display, host_ip, count, checkout_time, borrow_expiry, linger_seconds, pid, "
                "server_handle, handle, close_token, first_seen, last_seen) VALUES ('old', 'id1', "
                "'MLM', 'MATLAB', '1', 'alice', 'pc1', '', '', 2, 100, 0, 0, 0, 'lic1', '', "
                "'alice@pc1', 100, 160)");
    }
    REQUIRE(applied_versions(file) == std::vector<int>{1});

    auto store = Store::open(file);
    REQUIRE(store.has_value());
    CHECK(applied_versions(file) == every_version());

    auto sessions = (*store)->open_sessions();
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].session.user == "alice");
    CHECK(sessions[0].session.count == 2);
    CHECK(sessions[0].last_seen == 160);
    Action action;
    action.actor = "harvester";
    action.kind = "close";
    CHECK((*store)->append_action(action) == 1); // a table migration 2 created
}

TEST_CASE("a file newer than this binary is refused and left alone") {
    TempDir dir;
    const auto file = dir.path() / "state.db";
    REQUIRE(Store::open(file).has_value());
    const std::string newer = std::to_string(latest_schema_version() + 1);
    {
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO schema_version VALUES (" + newer + ", 0)");
    }
    auto refused = Store::open(file);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == file.string() + ": schema version " + newer +
                                 " is newer than this lmharvest " + "supports (" +
                                 std::to_string(latest_schema_version()) +
                                 "); upgrade lmharvest or restore a backup");
    SQLite::Database db(file);
    CHECK(schema_version(db) == latest_schema_version() + 1);
}

TEST_CASE("a file that is not SQLite is refused and left alone") {
    TempDir dir;
    const auto file = dir.path() / "state.db";
    std::ostringstream text;
    for (int i = 0; i < 200; ++i)
        text << "this is a config file, not a database " << i << '\n';
    std::ofstream(file) << text.str();

    auto refused = Store::open(file);
    REQUIRE_FALSE(refused.has_value());
    CHECK_THAT(refused.error(), Catch::StartsWith(file.string() + ": not an SQLite database"));
    CHECK(read_all(file) == text.str());
}

TEST_CASE("an SQLite file of another program is refused") {
    TempDir dir;
    const auto file = dir.path() / "other.db";
    {
        SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE servers (name TEXT)");
    }
    auto refused = Store::open(file);
    REQUIRE_FALSE(refused.has_value());
    CHECK_THAT(refused.error(), Catch::Contains("not an lmharvest state file"));
}

TEST_CASE("a state folder that cannot be created is reported") {
    TempDir dir;
    std::ofstream(dir.path() / "plain-file") << "x";
    auto refused = Store::open(dir.path() / "plain-file" / "state.db");
    REQUIRE_FALSE(refused.has_value());
    CHECK_THAT(refused.error(), Catch::Contains("cannot create its folder"));
}

TEST_CASE("a damaged database is refused at open with what to do") {
    TempDir dir;
    const auto file = dir.path() / "lmharvest.db";
    {
        auto store = Store::open(file);
        REQUIRE(store.has_value());
        PollSnapshot snapshot;
        snapshot.server_id = "s1";
        snapshot.ok = true;
        (*store)->record_poll(snapshot, "sim", "27000@sim"); // pages with real content
    } // closing checkpoints the WAL into the file
    std::string bytes = read_all(file);
    const std::size_t page = 4096;
    REQUIRE(bytes.size() > 3 * page);
    for (std::size_t i = page; i < bytes.size(); i += 7) // every page but the header's
        bytes[i] = static_cast<char>(0xA5);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;

    auto refused = Store::open(file);
    REQUIRE_FALSE(refused.has_value());
    CHECK_THAT(refused.error(), Catch::StartsWith(file.string() + ": the database is damaged"));
    CHECK_THAT(refused.error(), Catch::Contains(".recover"));
    CHECK(read_all(file) == bytes); // nothing was written over what can still be recovered
}

TEST_CASE("the store notices its file deleted or replaced under it") {
    TempDir dir;
    const auto file = dir.path() / "lmharvest.db";
    auto store = Store::open(file);
    REQUIRE(store.has_value());
    CHECK((*store)->file_state() == Store::FileState::same);
    std::filesystem::rename(file, dir.path() / "moved.db");
    CHECK((*store)->file_state() == Store::FileState::missing);
    std::ofstream(file) << "someone else's file";
    CHECK((*store)->file_state() == Store::FileState::replaced);
    CHECK(std::string(to_string(Store::FileState::replaced)) == "replaced");
}
