// What SQLite would do for a query the store builds: the tests pin its index and its lack of
// a sort, which no result would show.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <string>

/// The steps of EXPLAIN QUERY PLAN for `query`, one a line, with every parameter bound to
/// `value`.
inline std::string query_plan(SQLite::Database& db, const std::string& query,
                              const std::string& value = "alice") {
    SQLite::Statement plan(db, "EXPLAIN QUERY PLAN " + query);
    for (int i = 1; i <= plan.getBindParameterCount(); ++i)
        plan.bind(i, value);
    std::string steps;
    while (plan.executeStep())
        steps += plan.getColumn(3).getString() + "\n";
    return steps;
}
