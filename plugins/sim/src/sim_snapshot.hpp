// What a simulated server shows at a poll, as the vendor's tool would report it: the servers,
// the vendor daemon, the features and the sessions on them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lmharvest::sim {

struct SimServerStatus {
    std::string host; // "lic1"
    std::string port; // "27000"
    bool up = true;
    bool is_master = false;
    std::string version;
    std::string message; // why it is down

    bool operator==(const SimServerStatus&) const = default;
};

struct SimVendorStatus {
    std::string name;
    bool up = true;
    std::string version;
    std::string message;

    bool operator==(const SimVendorStatus&) const = default;
};

struct SimFeature {
    std::string name;
    std::string version;
    bool uncounted = false;
    int64_t total = -1; // -1 when uncounted
    int64_t used = 0;   // sum of the counts of its sessions
    std::string expiry;

    bool operator==(const SimFeature&) const = default;
};

struct SimSession {
    std::string feature;
    std::string version;
    std::string user;
    std::string host;    // "ws-017"
    std::string display; // empty when the vendor's tool shows none
    std::string host_ip;
    int64_t count = 1;
    int64_t checkout_time = 0;
    int64_t borrow_expiry = 0; // 0 when not borrowed
    int64_t pid = 0;           // 0 when the tool shows none
    std::string server;        // the granting server, "lic1/27000"
    std::string handle;        // empty when the server has none for it
    std::string close_token;   // unique for the life of the server

    bool operator==(const SimSession&) const = default;
};

struct SimSnapshot {
    std::vector<SimServerStatus> servers;
    SimVendorStatus vendor;
    std::vector<SimFeature> features;
    std::vector<SimSession> sessions; // oldest checkout first

    bool operator==(const SimSnapshot&) const = default;
};

} // namespace lmharvest::sim
