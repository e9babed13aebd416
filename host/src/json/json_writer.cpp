#include "json/json_writer.hpp"

#include "json/json_string.hpp"
#include <cmath>

namespace lmharvest {
namespace {

// Large enough that a sink call is rare next to the writing, small enough to stay in cache.
constexpr std::size_t flush_size = 64 * 1024;

} // namespace

JsonWriter::JsonWriter(Sink sink, int line_depth)
    : sink_(std::move(sink)), line_depth_(static_cast<uint32_t>(std::max(line_depth, 0))) {
    buffer_.reserve(flush_size + 4096);
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (depth_ == 0)
        return;
    if (members_++ > 0)
        buffer_ += ',';
    if (depth_ <= line_depth_) {
        buffer_ += '\n';
        buffer_.append(2 * depth_, ' ');
    }
}

void JsonWriter::begin_container(char open) {
    before_value();
    buffer_ += open;
    outer_.push_back(members_);
    members_ = 0;
    ++depth_;
}

void JsonWriter::begin_object() {
    begin_container('{');
}

void JsonWriter::begin_array() {
    begin_container('[');
}

void JsonWriter::end_object() {
    end_container('}');
}

void JsonWriter::end_array() {
    end_container(']');
}

void JsonWriter::end_container(char close) {
    if (members_ > 0 && depth_ <= line_depth_) {
        buffer_ += '\n';
        buffer_.append(2 * (depth_ - 1), ' ');
    }
    buffer_ += close;
    members_ = outer_.back();
    outer_.pop_back();
    --depth_;
    flush_if_full();
}

void JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(buffer_, name);
    buffer_ += depth_ <= line_depth_ ? ": " : ":";
    after_key_ = true;
}

void JsonWriter::write(std::string_view text) {
    append_json_string(buffer_, text);
}

void JsonWriter::write(LocalTime time) {
    buffer_ += '"';
    times_.append(buffer_, time.epoch_seconds);
    buffer_ += '"';
}

void JsonWriter::write(double number) {
    if (!std::isfinite(number))
        return write(nullptr);
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
