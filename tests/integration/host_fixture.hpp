// One running host on a config written for the test, with its HTTP API on a free port.
#pragma once

#include "harness.hpp"

#include <memory>

namespace lmharvest::testing {

class HostFixture {
public:
    /// `servers` is the TOML of the [[servers]] entries (and any other tables); the [host]
    /// table is written here, with `host_keys` (TOML lines) added to it. Reads are open
    /// (open_read = true) unless `host_keys` sets open_read.
    HostFixture(const std::string& servers, const std::map<std::string, std::string>& env = {},
                const std::string& host_keys = "");

    int port() const { return port_; }
    const TempDir& dir() const { return dir_; }
    const std::string& config() const { return config_; }
    RunningHost& host() { return *host_; }

    /// The open sessions the API lists (an empty array while it is not up).
    nlohmann::json sessions(const std::string& query = "") const;
    /// Waits until the API lists `count` open sessions.
    bool wait_for_sessions(std::size_t count) const;
    /// Waits until the server completes a poll that started after this call.
    bool wait_for_next_poll(const std::string& id) const;
    /// The server's entry in /api/v1/servers (null when absent).
    nlohmann::json server(const std::string& id) const;

private:
    TempDir dir_;
    int port_;
    std::string config_;
    std::unique_ptr<RunningHost> host_;
};

} // namespace lmharvest::testing
