// A streaming JSON writer for the large answers (a poll of 69k sessions, 100k open sessions):
// it appends to a small buffer that goes to a sink every 64 KiB, so no DOM is built and the
// whole answer is never one string. nlohmann-json stays for the small objects.
#pragma once

#include "json/iso_time.hpp"
#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

/// Epoch seconds written as iso8601_local() text.
struct LocalTime {
    int64_t epoch_seconds;
};

class JsonWriter {
public:
    /// Receives the text in pieces; returns false when the reader is gone (the rest is dropped).
    using Sink = std::function<bool(std::string_view)>;

    /// Members of containers nested at most `line_depth` deep go on their own indented line;
    /// deeper ones are written compact. 1 gives one record per line for an array of records.
    explicit JsonWriter(Sink sink, int line_depth = 1);

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    /// An object's member name; the next call writes its value.
    void key(std::string_view name);

    /// Any bytes: escaped, invalid UTF-8 replaced by U+FFFD (see append_json_string).
    void value(std::string_view text);
    void value(const char* text) { value(std::string_view(text)); }
    void value(const std::string& text) { value(std::string_view(text)); }
    void value(bool flag);
    void value(std::nullptr_t);
    template <std::integral Integer>
    requires(!std::same_as<Integer, bool>) void value(Integer number) {
        before_value();
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
        buffer_.append(digits, end);
    }
    void value(LocalTime time);
    /// The shortest text that reads back as `number`; NaN and infinities as null.
    void value(double number);
    template <class T> void value(const std::optional<T>& maybe) {
        if (maybe)
            value(*maybe);
        else
            value(nullptr);
    }

    /// key(name) and value(v).
    template <class T> void field(std::string_view name, const T& v) {
        key(name);
        value(v);
    }

    /// Ends the text with a newline and hands the rest to the sink; false if the sink refused.
    [[nodiscard]] bool finish();

private:
    void before_value();
    void end_container(char close);
    void flush_if_full();

    Sink sink_;
    int line_depth_;
    std::string buffer_;
    std::vector<uint32_t> members_; // per open container, how many members it has so far
    bool after_key_ = false;
    bool sink_failed_ = false;
    LocalTimeFormatter times_;
};

/// A sink that writes to a stdio stream (stdout for the CLI).
JsonWriter::Sink file_sink(std::FILE* file);

} // namespace lmharvest
