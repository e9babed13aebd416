#include "isolation/wire.hpp"

#include <cstring>

namespace lmharvest::isolation {

void Reader::raw(void* out, std::size_t size) {
    if (size > rest_.size()) {
        ok_ = false;
        rest_ = {};
        return;
    }
    std::memcpy(out, rest_.data(), size);
    rest_.remove_prefix(size);
}

namespace {

// One function per record lists its fields once, for both directions: `io` is a Writer (the
// fields are read) or a Reader (the fields are filled).
void field(Writer& out, const std::string& value) {
    out.text(value);
}
void field(Reader& in, std::string& value) {
    value = in.text();
}
template <class Int>
requires std::is_integral_v<Int>
void field(Writer& out, const Int& value) {
    out.i64(static_cast<int64_t>(value));
}
template <class Int>
requires std::is_integral_v<Int>
void field(Reader& in, Int& value) {
    value = static_cast<Int>(in.i64());
}
void field(Writer& out, const State& value) {
    out.u8(static_cast<uint8_t>(value));
}
void field(Reader& in, State& value) {
    const uint8_t raw = in.u8();
    value = raw <= static_cast<uint8_t>(State::down) ? static_cast<State>(raw) : State::unknown;
}
void field(Writer& out, const std::optional<int64_t>& value) {
    out.u8(value ? 1 : 0);
    out.i64(value.value_or(0));
}
void field(Reader& in, std::optional<int64_t>& value) {
    const bool present = in.u8() != 0;
    const int64_t raw = in.i64();
    value = present ? std::optional<int64_t>(raw) : std::nullopt;
}

template <class IO, class R> void fields(IO& io, R& r) {
    using T = std::remove_const_t<R>;
    if constexpr (std::is_same_v<T, ServerStatus>) {
        field(io, r.host), field(io, r.state), field(io, r.is_master), field(io, r.version);
        field(io, r.message);
    } else if constexpr (std::is_same_v<T, VendorStatus>) {
        field(io, r.name), field(io, r.state), field(io, r.version), field(io, r.message);
    } else if constexpr (std::is_same_v<T, FeatureUsage>) {
        field(io, r.vendor), field(io, r.name), field(io, r.version), field(io, r.total);
        field(io, r.used), field(io, r.reserved), field(io, r.queued), field(io, r.expiry);
        field(io, r.flags), field(io, r.error_text);
    } else if constexpr (std::is_same_v<T, Session>) {
        field(io, r.vendor), field(io, r.feature), field(io, r.version), field(io, r.user);
        field(io, r.host), field(io, r.display), field(io, r.host_ip), field(io, r.count);
        field(io, r.checkout_time), field(io, r.borrow_expiry), field(io, r.linger_seconds);
        field(io, r.pid), field(io, r.server), field(io, r.handle), field(io, r.close_token);
    } else if constexpr (std::is_same_v<T, Denial>) {
        field(io, r.kind), field(io, r.vendor), field(io, r.feature), field(io, r.user);
        field(io, r.host), field(io, r.reason), field(io, r.time), field(io, r.count);
    } else {
        static_assert(std::is_same_v<T, SkippedLine>);
        field(io, r.line), field(io, r.text), field(io, r.reason);
    }
}

template <class T> void records(Writer& out, const std::vector<T>& list) {
    out.u32(static_cast<uint32_t>(list.size()));
    for (const T& record : list)
        fields(out, record);
}

template <class T> void records(Reader& in, std::vector<T>& list) {
    const uint32_t count = in.u32();
    list.clear();
    // Each record takes at least 4 bytes: a forged count cannot reserve more than the frame.
    list.reserve(std::min<std::size_t>(count, 1u << 20));
    for (uint32_t i = 0; i < count && in.ok(); ++i)
        fields(in, list.emplace_back());
}

template <class IO, class S> void snapshot_fields(IO& io, S& s) {
    field(io, s.server_id), field(io, s.poll_time), field(io, s.duration_ms), field(io, s.ok);
    field(io, s.error);
    records(io, s.servers), records(io, s.vendors), records(io, s.features);
    records(io, s.sessions), records(io, s.denials), records(io, s.skipped);
}

} // namespace

void encode(const PollSnapshot& snapshot, Writer& out) {
    snapshot_fields(out, snapshot);
}

bool decode(Reader& in, PollSnapshot& snapshot) {
    snapshot_fields(in, snapshot);
    return in.ok();
}

void encode(const std::string& plugin_file, const InstanceSettings& s, int log_level, Writer& out) {
    out.text(plugin_file);
    out.i64(log_level);
    out.text(s.server_id), out.text(s.adapter), out.text(s.address);
    out.i64(s.timeout.count()), out.i64(static_cast<int64_t>(s.max_output));
    out.text(s.state_dir.string()), out.text(s.table.to_toml());
}

bool decode(Reader& in, CreateRequest& request) {
    InstanceSettings& s = request.settings;
    request.plugin_file = in.text();
    request.log_level = static_cast<int>(in.i64());
    s.server_id = in.text(), s.adapter = in.text(), s.address = in.text();
    s.timeout = std::chrono::milliseconds(in.i64());
    s.max_output = static_cast<std::size_t>(in.i64());
    s.state_dir = in.text();
    s.table = PluginTable::from_toml(in.text());
    return in.ok();
}

void encode(const PluginInfo& info, Writer& out) {
    out.text(info.name), out.text(info.version), out.text(info.description);
    out.u32(info.abi_major), out.u32(info.abi_minor), out.u32(info.kinds);
    out.i64(static_cast<int64_t>(info.capabilities));
    out.text(info.path.string());
}

bool decode(Reader& in, PluginInfo& info) {
    info.name = in.text(), info.version = in.text(), info.description = in.text();
    info.abi_major = in.u32(), info.abi_minor = in.u32(), info.kinds = in.u32();
    info.capabilities = static_cast<uint64_t>(in.i64());
    info.path = in.text();
    return in.ok();
}

void encode(const CloseResult& result, Writer& out) {
    out.i64(result.status);
    out.text(result.message);
    out.i64(result.retry_after_ms);
}

bool decode(Reader& in, CloseResult& result) {
    result.status = static_cast<lh_status>(in.i64());
    result.message = in.text();
    result.retry_after_ms = in.i64();
    return in.ok();
}

} // namespace lmharvest::isolation
