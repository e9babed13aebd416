#include "store/paging.hpp"

#include <charconv>

namespace lmharvest::sql {
namespace {

std::string names_of(std::span<const SortColumn> columns) {
    std::string names;
    for (const SortColumn& column : columns)
        names += (names.empty() ? "" : ", ") + std::string(column.name);
    return names;
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (const unsigned char byte : bytes) {
        text += digits[byte >> 4];
        text += digits[byte & 15];
    }
    return text;
}

std::optional<std::string> unhex(std::string_view text) {
    if (text.size() % 2 != 0)
        return std::nullopt;
    std::string bytes;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        unsigned value = 0;
        const auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
        if (error != std::errc() || end != text.data() + i + 2)
            return std::nullopt;
        bytes += static_cast<char>(value);
    }
    return bytes;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

// "s<hex>" for text, "i<digits>" for a number, as the column's type says.
std::optional<Value> decode_value(std::string_view part, bool text) {
    if (part.empty() || part[0] != (text ? 's' : 'i'))
        return std::nullopt;
    part.remove_prefix(1);
    if (text) {
        auto bytes = unhex(part);
        return bytes ? std::optional<Value>(std::move(*bytes)) : std::nullopt;
    }
    int64_t number = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), number);
    if (part.empty() || error != std::errc() || end != part.data() + part.size())
        return std::nullopt;
    return Value(number);
}

} // namespace

Expected<PageSql> PageSql::make(const PageRequest& page, std::span<const SortColumn> columns,
                                const std::vector<SortKey>& default_sort) {
    PageSql sql;
    sql.limit_ = page.limit;
    sql.offset_ = page.offset;
    const SortColumn* tie_break = &columns.front();
    bool has_tie_break = false;
    for (const SortKey& key : page.sort.empty() ? default_sort : page.sort) {
        const SortColumn* found = nullptr;
        for (const SortColumn& column : columns)
            if (column.name == key.column)
                found = &column;
        if (found == nullptr)
            return unexpected("sort: '" + key.column + "' is not a column to sort by; use one of " +
                              names_of(columns) + " (a leading - sorts descending)");
        for (const SortColumn* used : sql.keys_)
            if (used == found)
                return unexpected("sort: '" + key.column + "' is named twice");
        sql.keys_.push_back(found);
        sql.descending_.push_back(key.descending);
        has_tie_break = has_tie_break || found == tie_break;
    }
    if (!has_tie_break) { // the tie-break that makes every order total, so cursors never skip
        sql.keys_.push_back(tie_break);
        sql.descending_.push_back(false);
    }
    for (std::size_t i = 0; i < sql.keys_.size(); ++i)
        sql.spec_ += (i ? "," : "") + std::string(sql.descending_[i] ? "-" : "") +
                     std::string(sql.keys_[i]->name);
    if (!page.cursor)
        return sql;
    const std::string fix = "' is not a cursor of this list and sort; pass the next_cursor an "
                            "answer gave, with the same sort";
    const auto parts = split(*page.cursor, '.');
    if (parts.size() != sql.keys_.size() + 1 || unhex(parts[0]) != sql.spec_)
        return unexpected("cursor: '" + *page.cursor + fix);
    for (std::size_t i = 0; i < sql.keys_.size(); ++i) {
        auto value = decode_value(parts[i + 1], sql.keys_[i]->text);
        if (!value)
            return unexpected("cursor: '" + *page.cursor + fix);
        sql.after_.push_back(std::move(*value));
    }
    return sql;
}

bool PageSql::by_tie_break_only() const {
    return keys_.size() == 1 && !descending_[0]; // the tie-break ends every sort
}

std::string PageSql::key_columns() const {
    std::string text;
    for (const SortColumn* key : keys_)
        text += ", " + std::string(key->sql);
    return text;
}

std::string PageSql::after_cursor() const {
    if (after_.empty())
        return "";
    // (k1 > v1) OR (k1 = v1 AND k2 < v2) OR ..., each comparison in its key's direction.
    std::string text = " AND (";
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        text += i ? " OR (" : "(";
        for (std::size_t j = 0; j < i; ++j)
            text += std::string(keys_[j]->sql) + " = ? AND ";
        text += std::string(keys_[i]->sql) + (descending_[i] ? " < ?" : " > ?") + ")";
    }
    return text + ")";
}

std::string PageSql::order_limit() const {
    std::string text = " ORDER BY ";
    for (std::size_t i = 0; i < keys_.size(); ++i)
        text += (i ? ", " : "") + std::string(keys_[i]->sql) + (descending_[i] ? " DESC" : "");
    return text + " LIMIT ? OFFSET ?";
}

void PageSql::bind_page_plus(SQLite::Statement& statement, int first, int64_t extra) const {
    bind_window(statement, first, limit_ ? *limit_ + extra : int64_t{-1}, offset_); // -1: no limit
}

void PageSql::bind_last_and_next(SQLite::Statement& statement, int first) const {
    bind_window(statement, first, 2, offset_ + limit_.value() - 1);
}

void PageSql::bind_window(SQLite::Statement& statement, int first, int64_t count,
                          int64_t skip) const {
    auto bind_value = [&](const Value& value) {
        if (const auto* number = std::get_if<int64_t>(&value))
            statement.bind(first++, *number);
        else
            statement.bind(first++, std::get<std::string>(value));
    };
    for (std::size_t i = 0; i < keys_.size() && !after_.empty(); ++i)
        for (std::size_t j = 0; j <= i; ++j)
            bind_value(after_[j]);
    statement.bind(first++, count);
    statement.bind(first++, skip);
}

std::optional<std::string> PageSql::next_cursor(SQLite::Statement& statement,
                                                int first_key_column) const {
    if (!statement.executeStep())
        return std::nullopt; // the page is short of its limit
    std::string cursor = cursor_of(statement, first_key_column);
    if (!statement.executeStep())
        return std::nullopt; // the page ends at the last row
    return cursor;
}

std::string PageSql::cursor_of(const SQLite::Statement& row, int first_key_column) const {
    std::string cursor = hex(spec_);
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        const SQLite::Column column = row.getColumn(first_key_column + static_cast<int>(i));
        cursor += keys_[i]->text ? ".s" + hex(column.getString())
                                 : ".i" + std::to_string(column.getInt64());
    }
    return cursor;
}

} // namespace lmharvest::sql
