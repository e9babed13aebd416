// Paging and sorting of the store's lists in SQL: a whitelist of sortable columns per list, the
// ORDER BY, and keyset cursors (the last row's sort values), which stay stable under inserts.
// For the store's .cpp files only.
#pragma once

#include "common/expected.hpp"
#include "store/store_records.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lmharvest::sql {

/// A column a list may be sorted by: its API name and its SQL (never NULL). The first of a
/// list's columns is unique per row ("id"): every sort ends with it, so no two rows tie.
struct SortColumn {
    std::string_view name;
    std::string_view sql;
    bool text = false;
};

using Value = std::variant<int64_t, std::string>;

/// What a page adds to a list's SELECT: its sort keys as extra columns, the cursor's condition,
/// the ORDER BY with LIMIT and OFFSET, and the values of their parameters in order.
class PageSql {
public:
    /// Checks `page` against `columns` (the first is the last tie-break); an error names
    /// the parameter (sort, cursor). `default_sort` is used when page.sort is empty.
    static Expected<PageSql> make(const PageRequest& page, std::span<const SortColumn> columns,
                                  const std::vector<SortKey>& default_sort);

    /// Whether the rows come in the ascending order of the tie-break alone (by id).
    bool by_tie_break_only() const;
    /// ", k1, k2, ..., id" for the SELECT list, after the record's own columns.
    std::string key_columns() const;
    /// " AND (...)" selecting the rows after the cursor, or "".
    std::string after_cursor() const;
    /// " ORDER BY ... LIMIT ? OFFSET ?": one row more than the page, to tell whether one follows.
    std::string order_limit() const;
    /// Binds after_cursor()'s values and then LIMIT and OFFSET, from parameter `first` on: one
    /// row more than the page, for read().
    void bind(SQLite::Statement& statement, int first) const {
        bind_page_plus(statement, first, 1);
    }
    /// The same for the page's rows alone, to be stepped one by one (SessionRows).
    void bind_rows(SQLite::Statement& statement, int first) const {
        bind_page_plus(statement, first, 0);
    }
    /// Whether next_cursor() is needed: only a page with a limit can have a next one.
    bool limited() const { return limit_.has_value(); }
    /// Binds the page's last row and the one after it, for next_cursor().
    void bind_last_and_next(SQLite::Statement& statement, int first) const;
    /// The next page's cursor from a statement bound by bind_last_and_next(): the first row's
    /// keys when a second row follows, else nullopt (the page is the last).
    std::optional<std::string> next_cursor(SQLite::Statement& statement,
                                           int first_key_column) const;

    /// Reads the page's rows: `read` is called on each of at most `limit` rows; the next cursor
    /// comes from the last, read from the key columns starting at `first_key_column`.
    template <class Record, class Read>
    Page<Record> read(SQLite::Statement& statement, int first_key_column, Read read_row) const {
        Page<Record> page;
        std::string last_cursor;
        while (statement.executeStep()) {
            if (limit_ && static_cast<int64_t>(page.rows.size()) == *limit_) {
                page.next_cursor = std::move(last_cursor); // the page's last row
                break;
            }
            page.rows.push_back(read_row(statement));
            if (limit_ && static_cast<int64_t>(page.rows.size()) == *limit_)
                last_cursor = cursor_of(statement, first_key_column);
        }
        return page;
    }

private:
    // Binds the cursor's values, then LIMIT (the page and `extra` rows) and OFFSET.
    void bind_page_plus(SQLite::Statement& statement, int first, int64_t extra) const;
    void bind_window(SQLite::Statement& statement, int first, int64_t count, int64_t skip) const;
    std::string cursor_of(const SQLite::Statement& row, int first_key_column) const;

    std::vector<const SortColumn*> keys_;
    std::vector<bool> descending_;
    std::string spec_; // "user,-checkout_time,id": a cursor names the sort it belongs to
    std::vector<Value> after_;
    std::optional<int64_t> limit_;
    int64_t offset_ = 0;
};

} // namespace lmharvest::sql
