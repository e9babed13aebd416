// The bytes between the host and an adapter worker: a Writer and a Reader of fixed-width
// integers and length-prefixed strings, and the encodings of what a call carries (a
// PollSnapshot, a CloseResult). Compact and without escaping: a poll of 69k sessions is one
// memcpy per string.
#pragma once

#include "model/snapshot.hpp"
#include "plugins/adapter_instance.hpp"
#include "plugins/plugin_info.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::isolation {

class Writer {
public:
    void u8(uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
    void u32(uint32_t value) { raw(&value, sizeof value); }
    void i64(int64_t value) { raw(&value, sizeof value); }
    void text(std::string_view value) {
        u32(static_cast<uint32_t>(value.size()));
        bytes_.append(value);
    }
    std::string& bytes() { return bytes_; }

private:
    void raw(const void* data, std::size_t size) {
        bytes_.append(static_cast<const char*>(data), size);
    }
    std::string bytes_;
};

/// Reads what a Writer wrote; past the end (a truncated or forged frame) every read gives 0 or
/// "" and ok() turns false, so a decoder never reads outside the frame.
class Reader {
public:
    explicit Reader(std::string_view bytes) : rest_(bytes) {}
    uint8_t u8() {
        uint8_t value = 0;
        raw(&value, sizeof value);
        return value;
    }
    uint32_t u32() {
        uint32_t value = 0;
        raw(&value, sizeof value);
        return value;
    }
    int64_t i64() {
        int64_t value = 0;
        raw(&value, sizeof value);
        return value;
    }
    std::string text() {
        const uint32_t size = u32();
        if (size > rest_.size()) {
            ok_ = false;
            rest_ = {};
            return {};
        }
        std::string value(rest_.substr(0, size));
        rest_.remove_prefix(size);
        return value;
    }
    bool ok() const { return ok_; }

private:
    void raw(void* out, std::size_t size);
    std::string_view rest_;
    bool ok_ = true;
};

void encode(const PollSnapshot& snapshot, Writer& out);
/// False when the bytes are not a whole snapshot.
bool decode(Reader& in, PollSnapshot& snapshot);

/// What a worker needs to create its instance: the plugin's file and the server's settings.
struct CreateRequest {
    std::string plugin_file;
    InstanceSettings settings;
    int log_level = 0; // the host's spdlog level: lower lines are not sent
};
void encode(const std::string& plugin_file, const InstanceSettings& settings, int log_level,
            Writer& out);
bool decode(Reader& in, CreateRequest& request);

void encode(const PluginInfo& info, Writer& out);
bool decode(Reader& in, PluginInfo& info);

void encode(const CloseResult& result, Writer& out);
bool decode(Reader& in, CloseResult& result);

} // namespace lmharvest::isolation
