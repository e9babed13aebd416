// Line-by-line reading of a tool's output, shared by the adapters' parsers.
#pragma once

#include <cstdint>
#include <string_view>

namespace lmharvest::text {

/// Walks text one line at a time without copying. Strips "\n", "\r\n" and a lone trailing "\r"
/// (Windows servers print CRLF). Line numbers start at 1.
class LineCursor {
public:
    explicit LineCursor(std::string_view text) : rest_(text) {}

    /// Sets `line` to the next line and returns true, or returns false at the end.
    bool next(std::string_view& line);
    /// The number of the line last returned by next().
    uint32_t number() const { return number_; }

private:
    std::string_view rest_;
    uint32_t number_ = 0;
    bool done_ = false;
};

} // namespace lmharvest::text
