// The statements a reader connection keeps across leases: the same one again, reset, with no
// values bound, and never holding a read snapshot after its lease (or its rows) ended.
#include "store/reader_pool.hpp"
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

// Whether a writer can checkpoint the whole WAL into the file and truncate it: not while a
// reader holds a snapshot of an older commit.
bool wal_checkpoints_whole(const std::filesystem::path& file) {
    SQLite::Database db(file, SQLite::OPEN_READWRITE);
    SQLite::Statement checkpoint(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    REQUIRE(checkpoint.executeStep());
    return checkpoint.getColumn(0).getInt() == 0; // busy = 0
}

void record_three(StoreOnTempFile& s, int64_t time) {
    s.record(make_snapshot(
        "eng", time,
        {make_session("a", "F", 900), make_session("b", "F", 900), make_session("c", "F", time)}));
}

} // namespace

TEST_CASE("a reader connection keeps a statement: reset, with no values bound") {
    StoreOnTempFile s;
    ReaderPool pool(s.file, 1);
    const SQLite::Statement* first = nullptr;
    {
        auto lease = pool.lease();
        SQLite::Statement& select = lease.prepared("SELECT ?1");
        select.bind(1, 42);
        REQUIRE(select.executeStep());
        CHECK(select.getColumn(0).getInt() == 42);
        first = &select;
    }
    auto lease = pool.lease();
    SQLite::Statement& again = lease.prepared("SELECT ?1");
    CHECK(&again == first); // not prepared again
    REQUIRE(again.executeStep());
    CHECK(again.getColumn(0).isNull()); // the value bound before is gone
}

TEST_CASE("a kept statement left mid-step holds no snapshot once its lease ends") {
    StoreOnTempFile s;
    record_three(s, 1000);
    ReaderPool pool(s.file, 1);
    {
        auto lease = pool.lease();
        SQLite::Statement& select = lease.prepared("SELECT id FROM sessions ORDER BY id");
        REQUIRE(select.executeStep()); // the first of three rows; two left unread
        record_three(s, 1060);         // a commit after the reader's snapshot
        CHECK_FALSE(wal_checkpoints_whole(s.file));
    }
    CHECK(wal_checkpoints_whole(s.file));
}

TEST_CASE("a session list dropped after its first row leaves its connection clean") {
    StoreOnTempFile s;
    record_three(s, 1000);
    for (const PageRequest& page : {PageRequest{}, PageRequest{.limit = 2}}) {
        {
            auto rows = s.store->open_session_rows({}, page);
            REQUIRE(rows);
            REQUIRE((*rows)->next() != nullptr); // a client that went away after one row
        }
        CHECK(wal_checkpoints_whole(s.file));
    }
    // The kept statements answer the next lists, and see the commits since.
    record_three(s, 1060); // c goes, a new c comes
    auto rows = s.store->open_session_rows({}, {.limit = 2});
    REQUIRE(rows);
    CHECK((*rows)->next_cursor().has_value());
    int listed = 0;
    while ((*rows)->next() != nullptr)
        ++listed;
    CHECK(listed == 2);
    auto all = s.store->open_sessions({}, {});
    REQUIRE(all);
    REQUIRE(all->rows.size() == 3);
    CHECK(all->rows.back().session.checkout_time == 1060);
    CHECK(s.store->open_session_count({}) == 3);
}
