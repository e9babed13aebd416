#include "json/json_writer.hpp"

#include "json/json_string.hpp"
#include <cmath>

namespace lmharvest {
namespace {

// Large enough that a sink call is rare next to the writing, small enough to stay in cache.
constexpr std::size_t flush_size = 64 * 1024;

} // namespace

JsonWriter::JsonWriter(Sink sink, int line_depth)
    : sink_(std::move(sink)), line_depth_(line_depth) {
    buffer_.reserve(flush_size + 4096);
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (members_.empty())
        return;
    if (members_.back()++ > 0)
        buffer_ += ',';
    const std::size_t depth = members_.size();
    if (depth <= static_cast<std::size_t>(line_depth_)) {
        buffer_ += '\n';
        buffer_.append(2 * depth, ' ');
    }
}

void JsonWriter::begin_object() {
    before_value();
    buffer_ += '{';
    members_.push_back(0);
}

void JsonWriter::begin_array() {
    before_value();
    buffer_ += '[';
    members_.push_back(0);
}

void JsonWriter::end_object() {
    end_container('}');
}

void JsonWriter::end_array() {
    end_container(']');
}

void JsonWriter::end_container(char close) {
    const std::size_t depth = members_.size();
    if (members_.back() > 0 && depth <= static_cast<std::size_t>(line_depth_)) {
        buffer_ += '\n';
        buffer_.append(2 * (depth - 1), ' ');
    }
    buffer_ += close;
    members_.pop_back();
    flush_if_full();
}

void JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(buffer_, name);
    buffer_ += members_.size() <= static_cast<std::size_t>(line_depth_) ? ": " : ":";
    after_key_ = true;
}

void JsonWriter::value(std::string_view text) {
    before_value();
    append_json_string(buffer_, text);
}

void JsonWriter::value(bool flag) {
    before_value();
    buffer_ += flag ? "true" : "false";
}

void JsonWriter::value(std::nullptr_t) {
    before_value();
    buffer_ += "null";
}

void JsonWriter::value(LocalTime time) {
    before_value();
    buffer_ += '"';
    times_.append(buffer_, time.epoch_seconds);
    buffer_ += '"';
}

void JsonWriter::value(double number) {
    if (!std::isfinite(number))
        return value(nullptr);
    before_value();
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    buffer_.append(digits, end);
}

void JsonWriter::flush_if_full() {
    if (buffer_.size() < flush_size)
        return;
    if (!sink_failed_)
        sink_failed_ = !sink_(buffer_);
    buffer_.clear();
}

bool JsonWriter::finish() {
    buffer_ += '\n';
    if (!sink_failed_)
        sink_failed_ = !sink_(buffer_);
    buffer_.clear();
    return !sink_failed_;
}

JsonWriter::Sink file_sink(std::FILE* file) {
    return [file](std::string_view text) {
        // Flushed per piece so that a full disk is seen here, not lost at exit.
        return std::fwrite(text.data(), 1, text.size(), file) == text.size() &&
               std::fflush(file) == 0;
    };
}

} // namespace lmharvest
