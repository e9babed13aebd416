// A session list read row by row as SQLite steps it, for answers too large to hold in memory
// (100k open sessions): the REST API writes each row into its response as it comes.
#pragma once

#include "store/store_records.hpp"

#include <optional>
#include <string>

namespace lmharvest {

class SessionRows {
public:
    virtual ~SessionRows() = default;
    /// The cursor of the page after this one (nullopt: this is the last), known before the
    /// first row, so that it can go in the answer's header.
    virtual const std::optional<std::string>& next_cursor() const = 0;
    /// The next row (valid until the next call), nullptr after the last. Throws
    /// SQLite::Exception (a std::runtime_error) when SQLite fails on the way.
    virtual const SessionRecord* next() = 0;
};

} // namespace lmharvest
