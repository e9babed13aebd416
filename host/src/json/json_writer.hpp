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

/// A member name known at compile time, kept quoted with its separator (`,"count":`), so that a
/// compact record's member costs one append. A name that would need escaping does not compile.
class JsonKey {
public:
    template <std::size_t N>
    consteval JsonKey(const char (&name)[N]) : name_(name), size_(N + 3) { // NOLINT: implicit
        static_assert(N + 3 <= sizeof(text_), "a longer member name than JsonKey holds");
        text_[0] = ',';
        text_[1] = '"';
        for (std::size_t i = 0; i + 1 < N; ++i) {
            const char c = name[i];
            if (c < 0x20 || c == '"' || c == '\\' || c == '\0')
                throw "a JsonKey name must need no escaping"; // a compile error (consteval)
            text_[2 + i] = c;
        }
        text_[N + 1] = '"';
        text_[N + 2] = ':';
    }
    const char* name() const { return name_; }
    /// `,"name":`, for every member but an object's first.
    std::string_view with_comma() const { return {text_, size_}; }
    /// `"name":`, for the first.
    std::string_view alone() const { return {text_ + 1, size_ - 1u}; }

private:
    const char* name_;
    char text_[40]{};
    uint8_t size_;
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
    template <class T> void value(const T& v) {
        before_value();
        write(v);
    }

    /// key(name) and value(v); in a compact record, one append for the separator and the
    /// quoted name.
    template <class T> void field(const JsonKey& name, const T& v) {
        if (depth_ <= line_depth_) {
            key(name.name());
            return value(v);
        }
        buffer_.append(members_++ ? name.with_comma() : name.alone());
        write(v);
    }

    /// Ends the text with a newline and hands the rest to the sink; false if the sink refused.
    [[nodiscard]] bool finish();
    /// Whether the sink refused (the reader is gone): a long list can stop early.
    bool failed() const { return sink_failed_; }

private:
    // A value's text, its separator already written.
    void write(std::string_view text);
    void write(const std::string& text) { write(std::string_view(text)); }
    void write(const char* text) { write(std::string_view(text)); }
    void write(bool flag) { buffer_ += flag ? "true" : "false"; }
    void write(std::nullptr_t) { buffer_ += "null"; }
    void write(LocalTime time);
    /// The shortest text that reads back as `number`; NaN and infinities as null.
    void write(double number);
    template <std::integral Integer>
    requires(!std::same_as<Integer, bool>) void write(Integer number) {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
        buffer_.append(digits, end);
    }
    template <class T> void write(const std::optional<T>& maybe) {
        if (maybe)
            write(*maybe);
        else
            write(nullptr);
    }

    void before_value();
    void begin_container(char open);
    void end_container(char close);
    void flush_if_full();

    Sink sink_;
    uint32_t line_depth_;
    std::string buffer_;
    uint32_t depth_ = 0;          // how many containers are open
    uint32_t members_ = 0;        // how many members the innermost one has so far
    std::vector<uint32_t> outer_; // the members_ of each container around it
    bool after_key_ = false;
    bool sink_failed_ = false;
    LocalTimeFormatter times_;
};

/// A sink that writes to a stdio stream (stdout for the CLI).
JsonWriter::Sink file_sink(std::FILE* file);

} // namespace lmharvest
