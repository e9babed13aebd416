// The WHERE clause of the session queries (session_queries.cpp, session_summary.cpp): a
// SessionFilter as SQL text and the values of its parameters. For the store's .cpp files only.
#pragma once

#include "store/store_records.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::sql {

// The WHERE clause of a filter and the values of its parameters, in order.
struct FilterSql {
    std::string where = "WHERE closed_at IS NULL";
    std::vector<std::string> values;

    void equal(const char* column, const std::optional<std::string>& value) {
        if (!value)
            return;
        where += std::string(" AND ") + column + " = ?";
        values.push_back(*value);
    }
    // `walk_in_id_order`: "+column", which no index on the column serves, so that SQLite
    // walks sessions_open_id_user in id order instead of sorting the members' rows.
    void one_of(const char* column, const std::optional<std::vector<std::string>>& set,
                bool walk_in_id_order) {
        if (!set)
            return;
        where += std::string(" AND ") + (walk_in_id_order ? "+" : "") + column + " IN (";
        for (size_t i = 0; i < set->size(); ++i)
            where += i == 0 ? "?" : ", ?";
        where += ")";
        values.insert(values.end(), set->begin(), set->end());
    }
    void at_least(const char* column, const std::optional<int64_t>& value) {
        if (value)
            compare(column, " >= ", *value);
    }
    void below(const char* column, const std::optional<int64_t>& value) {
        if (value)
            compare(column, " < ", *value);
    }
    // instr(lower()), not LIKE: no wildcard in `text` to escape.
    void contains(std::initializer_list<const char*> columns,
                  const std::optional<std::string>& text) {
        if (!text)
            return;
        std::string needle = *text;
        for (char& c : needle)
            c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        const char* separator = " AND (";
        for (const char* column : columns) {
            where += std::string(separator) + "instr(lower(" + column + "), ?) > 0";
            values.push_back(needle);
            separator = " OR ";
        }
        where += ")";
    }
    // A number goes into the text itself: it cannot be anything but digits.
    void compare(const char* column, const char* op, int64_t value) {
        where += std::string(" AND ") + column + op + std::to_string(value);
    }

    void bind(SQLite::Statement& statement) const {
        for (size_t i = 0; i < values.size(); ++i)
            statement.bind(static_cast<int>(i + 1), values[i]);
    }
};

inline FilterSql session_filter(const SessionFilter& filter, const char* base,
                                bool walk_in_id_order = false) {
    FilterSql sql{base, {}};
    sql.equal("server", filter.server);
    sql.equal("vendor", filter.vendor);
    sql.equal("feature", filter.feature);
    sql.equal("user", filter.user);
    sql.one_of("user", filter.users, walk_in_id_order);
    sql.equal("host", filter.host);
    sql.contains({"server", "vendor", "feature", "version", "user", "host", "host_ip"},
                 filter.text);
    return sql;
}

inline FilterSql open_filter(const SessionFilter& filter, bool in_id_order = false) {
    return session_filter(filter, "WHERE closed_at IS NULL", in_id_order);
}

} // namespace lmharvest::sql
