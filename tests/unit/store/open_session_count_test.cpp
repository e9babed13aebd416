// The number of open sessions the triggers of migration 11 keep (X-Total-Count of the whole
// list) against a real count(*) of the rows, after every kind of write that opens or ends one.
#include "store/migrations.hpp"
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

int64_t counted_rows(const std::filesystem::path& file) {
    SQLite::Database db(file);
    return db.execAndGet("SELECT count(*) FROM sessions WHERE closed_at IS NULL").getInt64();
}

// The kept number, the real one and the list agree.
void check_exact(StoreOnTempFile& s, int64_t expected) {
    CHECK(s.store->open_session_count({}) == expected);
    CHECK(counted_rows(s.file) == expected);
    CHECK(static_cast<int64_t>(s.store->open_sessions().size()) == expected);
}

} // namespace

TEST_CASE("the open-session count stays exact through polls, closes and deletes") {
    StoreOnTempFile s;
    check_exact(s, 0);

    s.record(make_snapshot(
        "eng", 1000,
        {make_session("a", "F", 900), make_session("b", "F", 900), make_session("c", "F", 900)}));
    s.record(
        make_snapshot("cae", 1000, {make_session("d", "G", 900), make_session("e", "G", 900)}));
    check_exact(s, 5);

    // A poll that replaces sessions: a stays, b and c go, f and g come.
    s.record(make_snapshot(
        "eng", 1060,
        {make_session("a", "F", 900), make_session("f", "F", 1000), make_session("g", "F", 1010)}));
    check_exact(s, 5);

    // A poll that only updates (same sessions, new counts) changes nothing.
    Session more = make_session("d", "G", 900);
    more.count = 3;
    s.record(make_snapshot("cae", 1060, {more, make_session("e", "G", 900)}));
    check_exact(s, 5);

    // A failed poll is no proof that sessions ended; an empty good one closes them all.
    s.record(failed_snapshot("cae", 1120, "lmutil timed out"));
    check_exact(s, 5);
    s.record(make_snapshot("cae", 1180, {}));
    check_exact(s, 3);

    // Closed by the host once; a second close of the same session is refused.
    const int64_t id = s.store->open_sessions({.user = "a"}).at(0).id;
    REQUIRE(s.store->mark_session_closed(id, 1200, "harvested"));
    REQUIRE_FALSE(s.store->mark_session_closed(id, 1201, "harvested"));
    check_exact(s, 2);

    // Compaction deletes old closed sessions, never an open one.
    CHECK(s.store->compact_history(1200 + 400 * 86400, 30).sessions_deleted == 5);
    check_exact(s, 2);

    // A writer outside the host (sqlite3) that reopens or deletes rows is counted too.
    {
        SQLite::Database db(s.file, SQLite::OPEN_READWRITE);
        db.exec("UPDATE sessions SET closed_at = NULL"); // every row left is open: no change
        db.exec("INSERT INTO sessions (server, identity, vendor, feature, version, user, host, "
                "display, host_ip, count, checkout_time, borrow_expiry, linger_seconds, pid, "
                "server_handle, handle, close_token, first_seen, last_seen, closed_at) VALUES "
                "('eng', 'x', 'MLM', 'F', '1', 'x', 'pc', '', '', 1, 1, 0, 0, 0, 'lic1', '', "
                "'x@pc', 1, 1, 5)"); // inserted closed: not open
        check_exact(s, 2);
        db.exec("UPDATE sessions SET closed_at = NULL WHERE identity = 'x'");
        check_exact(s, 3);
        db.exec("DELETE FROM sessions WHERE identity = 'x'");
        check_exact(s, 2);
    }

    // A filter still counts its rows.
    CHECK(s.store->open_session_count({.user = "f"}) == 1);
    CHECK(s.store->open_session_count({.user = "nobody"}) == 0);
}

TEST_CASE("an older file's open sessions are counted when migration 11 adds the count") {
    TempDir dir;
    const auto file = dir.path() / "state.db";
    {
        auto opened = Store::open(file);
        REQUIRE(opened);
        (*opened)->record_poll(
            make_snapshot("eng", 1000,
                          {make_session("a", "F", 900), make_session("b", "F", 900),
                           make_session("c", "F", 900)}),
            "flexnet", "27000@lic1");
        REQUIRE((*opened)->mark_session_closed((*opened)->open_sessions().at(0).id, 1100, "x"));
    }
    {
        // Back to the schema before the count (migrations 11 and 12 undone), as a file of the
        // release before it.
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER open_session_count_insert; DROP TRIGGER open_session_count_delete; "
                "DROP TRIGGER open_session_count_close; DROP TABLE open_session_count; "
                "DROP TABLE harvest_plan_times; "
                "ALTER TABLE harvest_plans ADD COLUMN time INTEGER NOT NULL DEFAULT 0; "
                "DELETE FROM schema_version WHERE version >= 11");
    }
    auto store = Store::open(file);
    REQUIRE(store);
    CHECK((*store)->open_session_count({}) == 2);
    CHECK(counted_rows(file) == 2);
}
