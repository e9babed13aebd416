// NUL-terminated copies of a record's string views for the SDK's C structs, in buffers reused
// from one record to the next, so lending a record allocates only while the buffers grow.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace lmharvest::lmx {

class CStrings {
public:
    /// Starts a record: the strings lent for the previous one may be overwritten.
    void next_record() { used_ = 0; }

    /// `text` NUL-terminated, valid until the next record.
    const char* lend(std::string_view text) {
        if (used_ == buffers_.size())
            buffers_.emplace_back(); // a deque: the buffers already lent stay where they are
        std::string& buffer = buffers_[used_++];
        buffer.assign(text);
        return buffer.c_str();
    }

    /// As lend(), but NULL for empty text (a field the output did not give).
    const char* lend_or_null(std::string_view text) { return text.empty() ? nullptr : lend(text); }

private:
    std::deque<std::string> buffers_;
    std::size_t used_ = 0;
};

} // namespace lmharvest::lmx
