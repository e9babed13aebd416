// Binding C++ values to statement parameters and reading nullable columns, for the store's
// .cpp files only.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::sql {

template <std::integral T> void bind_one(SQLite::Statement& statement, int index, T value) {
    statement.bind(index, static_cast<int64_t>(value));
}
inline void bind_one(SQLite::Statement& statement, int index, double value) {
    statement.bind(index, value);
}
inline void bind_one(SQLite::Statement& statement, int index, std::string_view value) {
    statement.bind(index, std::string(value));
}
inline void bind_one(SQLite::Statement& statement, int index, const std::string& value) {
    statement.bind(index, value);
}
inline void bind_one(SQLite::Statement& statement, int index, const char* value) {
    statement.bind(index, value);
}
inline void bind_one(SQLite::Statement& statement, int index, const std::optional<int64_t>& value) {
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index); // NULL
}

/// Binds `values` to parameters 1, 2, ... in order.
template <class... Values> void bind_all(SQLite::Statement& statement, const Values&... values) {
    int index = 0;
    (bind_one(statement, ++index, values), ...);
}

/// Runs a prepared statement again with new values; returns the number of rows changed.
template <class... Values> int exec_with(SQLite::Statement& statement, const Values&... values) {
    statement.reset();
    bind_all(statement, values...);
    return statement.exec();
}

/// Prepares, binds and runs one statement; returns the number of rows changed.
template <class... Values>
int exec_once(SQLite::Database& db, const char* query, const Values&... values) {
    SQLite::Statement statement(db, query);
    bind_all(statement, values...);
    return statement.exec();
}

/// A statement's first columns, taken once it has a row: a SQLite::Column reads the statement's
/// current row each time it is asked (SQLiteCpp 3.2: it holds the statement and an index; a
/// test pins this), so the same objects serve every later row. Statement::getColumn() per value
/// instead copies the statement's shared pointer (an atomic increment and decrement) and checks
/// the row and the index again: 22 times a row, 2.2 million times for a list of 100k sessions.
class RowColumns {
public:
    /// Takes `count` columns of `statement`, which must have a row, on the first call only.
    void take_once(const SQLite::Statement& statement, int count) {
        if (!columns_.empty())
            return;
        columns_.reserve(static_cast<std::size_t>(count));
        for (int index = 0; index < count; ++index)
            columns_.push_back(statement.getColumn(index));
    }
    const SQLite::Column& operator[](int index) const {
        return columns_[static_cast<std::size_t>(index)];
    }

private:
    std::vector<SQLite::Column> columns_;
};

inline std::optional<int64_t> optional_int64(const SQLite::Column& column) {
    if (column.isNull())
        return std::nullopt;
    return column.getInt64();
}

} // namespace lmharvest::sql
