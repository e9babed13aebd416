// What parse_lmstat() reads from `lmutil lmstat -a`: mirrors of the SDK's records. Sessions,
// the bulk of a big output, hold views into the parsed text: it must outlive the result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::flexnet {

/// One license server of the queried address (LH_STATE_* in `state`).
struct ServerStatus {
    std::string host;
    int32_t state = 0;
    bool is_master = false;
    std::string version; // "v11.19.6", as printed
    std::string message; // why it is down, as lmstat said it
};

struct VendorStatus {
    std::string name;
    int32_t state = 0;
    std::string version;
    std::string message;
};

/// `\t48 RESERVATIONs for GROUP GROUP1 (host3/27002)`.
struct Reservation {
    int64_t count = 0;
    std::string holder; // what it is reserved for: "GROUP GROUP1", "HOST lic7", "USER bob"
    std::string server; // "host3/27002"
};

/// One `Users of F:` line and what follows it until the next one.
struct Feature {
    std::string vendor; // from the "F" vX, vendor: V sub-header, else the lmgrd block's vendor
    std::string name;
    std::string version; // of the first sub-header, without lmstat's "v"; empty when none
    int64_t total = -1;  // issued; -1 when uncounted or an error
    int64_t used = 0;    // "Total of M licenses in use" (reservations included), as printed
    int64_t reserved = 0;
    int64_t queued = 0; // queued requests (lines)
    std::string expiry; // "31-dec-2026", "permanent(no expiration date)"; empty when not printed
    uint32_t flags = 0; // LH_FEATURE_*
    std::string error_text;
    std::vector<Reservation> reservations;
    uint32_t line = 0;
};

/// One checkout (user line), or a queued request (then `queued` is true and it is no session).
/// Its text fields are views into the output given to parse_lmstat(): no copy per line.
struct Session {
    size_t feature_index = 0; // into LmstatResult::features: vendor and name live there
    std::string_view version; // the client's, without "v"
    std::string_view user;
    std::string_view host;
    std::string_view display;
    std::string_view server_host;
    std::string_view port;
    std::string_view handle;
    int64_t count = 1;
    int64_t checkout_time = 0; // epoch seconds; 0 for queued requests
    int64_t linger_seconds = 0;
    int64_t pid = 0;
    bool queued = false;
    uint32_t line = 0;
};

struct SkippedLine {
    uint32_t line = 0;
    std::string text;
    std::string reason;
};

struct LmstatResult {
    std::vector<ServerStatus> servers;
    std::vector<VendorStatus> vendors;
    std::vector<Feature> features;
    std::vector<Session> sessions; // checkouts only
    std::vector<Session> queued;   // queued requests
    std::vector<SkippedLine> skipped;
    /// Set when the whole query failed ("Error getting status: ..."): no server answered.
    std::string query_error;
    /// Rows of an `lmstat -i` license-file listing: not usage, so not read as features.
    uint32_t license_listing_rows = 0;
    /// Why this output cannot be a poll's answer (it shows no license server status, or it was
    /// cut short); empty when it can. The records are read all the same, for `lmharvest parse`.
    std::string unusable;
};

} // namespace lmharvest::flexnet
