// sql::RowColumns relies on SQLiteCpp's Column reading the statement's current row when asked,
// not the row it was taken on: pinned here, so that an SQLiteCpp that changes it fails a test
// instead of every session list repeating its first row.
#include "store/sql_values.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

TEST_CASE("columns taken on the first row read each later row") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    SQLite::Statement select(db, "SELECT column1, column2 FROM (VALUES (1, 'one'), (2, NULL), "
                                 "(3, 'three'))");
    lmharvest::sql::RowColumns columns;
    std::vector<std::pair<int64_t, std::string>> rows;
    while (select.executeStep()) {
        columns.take_once(select, 2);
        rows.emplace_back(columns[0].getInt64(),
                          columns[1].isNull() ? "NULL" : columns[1].getString());
    }
    CHECK(rows ==
          std::vector<std::pair<int64_t, std::string>>{{1, "one"}, {2, "NULL"}, {3, "three"}});

    // Again after a reset, as a kept statement is between leases.
    select.reset();
    REQUIRE(select.executeStep());
    columns.take_once(select, 2);
    CHECK(columns[0].getInt64() == 1);
}
