// What one poll of one license server found, owned by the host (copied out of the plugin's
// borrowed lh_* records). The store, the API and `lmharvest parse` all read this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

enum class State { unknown, up, down };

struct ServerStatus {
    std::string host;
    State state = State::unknown;
    bool is_master = false;
    std::string version;
    std::string message;
};

struct VendorStatus {
    std::string name;
    State state = State::unknown;
    std::string version;
    std::string message;
};

struct FeatureUsage {
    std::string vendor;
    std::string name;
    std::string version;
    std::optional<int64_t> total; // nullopt: uncounted or unknown
    int64_t used = 0;
    int64_t reserved = 0;
    int64_t queued = 0;
    std::string expiry;
    uint32_t flags = 0; // LH_FEATURE_*
    std::string error_text;
};

struct Session {
    std::string vendor;
    std::string feature;
    std::string version;
    std::string user;
    std::string host;
    std::string display;
    std::string host_ip;
    int64_t count = 1;
    int64_t checkout_time = 0; // epoch seconds, 0 unknown
    int64_t borrow_expiry = 0;
    int64_t linger_seconds = 0;
    int64_t pid = 0;
    std::string server;
    std::string handle;
    std::string close_token;
};

struct Denial {
    int32_t kind = 0; // LH_DENIAL_*
    std::string vendor;
    std::string feature;
    std::string user;
    std::string host;
    std::string reason;
    int64_t time = 0;
    int64_t count = 1;
};

struct SkippedLine {
    uint32_t line = 0;
    std::string text;
    std::string reason;
};

struct PollSnapshot {
    std::string server_id;
    int64_t poll_time = 0; // epoch seconds
    int64_t duration_ms = 0;
    bool ok = true;    // false: the adapter could not poll at all (see error)
    std::string error; // why, when !ok
    std::vector<ServerStatus> servers;
    std::vector<VendorStatus> vendors;
    std::vector<FeatureUsage> features;
    std::vector<Session> sessions;
    std::vector<Denial> denials;
    std::vector<SkippedLine> skipped;
};

/// A session's identity across polls: the server's handle where there is one, else the
/// fields that cannot change during one checkout.
std::string session_identity(const Session& session);

const char* to_string(State state);

} // namespace lmharvest
