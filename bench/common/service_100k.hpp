// The service at scale, for the benchmarks that need it running: `lmharvest run` with 100
// FlexNet servers, each the lmutil emulator printing 1,000 user lines (100k open sessions).
// BENCH_LMHARVEST runs another service binary (a baseline build), so that a before/after pair
// runs with the same benchmark binary.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lmharvest::bench {

inline constexpr int servers = 100;
inline constexpr int features_per_server = 20;
inline constexpr int users_per_feature = 50; // 1,000 user lines per server
inline constexpr int distinct_users = 1000;

// A FlexNet `lmstat -a` answer with 1,000 checkouts in the shape of the real captures.
inline std::string lmstat_output() {
    std::string out = "lmutil - Copyright (c) 1989-2019 Flexera. All Rights Reserved.\n"
                      "Flexible License Manager status on Tue 12/1/2026 10:00\n\n"
                      "[Detecting lmgrd processes...]\n"
                      "License server status: 27000@lic1\n"
                      "    License file(s) on lic1: /opt/flexlm/license.dat:\n\n"
                      "      lic1: license server UP (MASTER) v11.16.2\n\n"
                      "Vendor daemon status (on lic1):\n\n     vendor1: UP v11.16.2\n\n"
                      "Feature usage info:\n\n";
    int line = 0;
    for (int f = 0; f < features_per_server; ++f) {
        const std::string name = "feature" + std::to_string(f);
        out += "Users of " + name + ":  (Total of 2000 licenses issued;  Total of " +
               std::to_string(users_per_feature) + " licenses in use)\n\n  \"" + name +
               "\" v31.0, vendor: vendor1, expiry: permanent(no expiration date)\n"
               "  floating license\n\n";
        for (int u = 0; u < users_per_feature; ++u, ++line) {
            const std::string user = "user" + std::to_string(line % distinct_users);
            const std::string host = "ws" + std::to_string(line);
            out += "    " + user + " " + host + " " + host + " (v31.000000) (lic1/27000 " +
                   std::to_string(1000 + line) +
                   "), start Tue 12/1 9:" + (line % 60 < 10 ? "0" : "") +
                   std::to_string(line % 60) + "\n";
        }
        out += "\n";
    }
    return out;
}

inline int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

// A figure of /proc/PID/status ("VmRSS:" in kB, "Threads:").
inline long status_figure(pid_t pid, const std::string& name) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(name, 0) == 0)
            return std::atol(line.c_str() + name.size());
    return 0;
}

inline long resident_kb(pid_t pid) {
    return status_figure(pid, "VmRSS:");
}

// The running service and its folder; stopped when the program ends.
class Service {
public:
    /// `host_keys`: more [host] lines (e.g. isolation); `interval`: the servers' interval.
    explicit Service(const std::string& host_keys = "", const std::string& interval = "10s")
        : dir_(std::filesystem::temp_directory_path() /
               ("lmharvest-bench-" + std::to_string(getpid()) + "-" + std::to_string(++started_))) {
        std::filesystem::create_directories(dir_);
        const std::filesystem::path tools = dir_ / "tools";
        std::filesystem::create_directories(tools);
        std::filesystem::copy_file(LH_LMUTIL_EMULATOR, tools / "lmutil");
        std::ofstream(dir_ / "lmstat.txt") << lmstat_output();
        port_ = free_port();
        std::ostringstream config;
        config << "[host]\nstate_dir = \"" << (dir_ / "state").string() << "\"\nplugin_dirs = [\""
               << LH_PLUGIN_BUILD_DIR
               << "\"]\nplugins = [\"flexnet\"]\nlisten = \"127.0.0.1:" << port_
               << "\"\nopen_read = true\nlog_level = \"warn\"\n"
               << host_keys;
        for (int s = 0; s < servers; ++s)
            config << "\n[[servers]]\nid = \"flex" << s << "\"\nadapter = \"flexnet\"\n"
                   << "address = \"27000@lic" << s << "\"\ninterval = \"" << interval << "\"\n"
                   << "[servers.flexnet]\nlmutil = \"" << (tools / "lmutil").string() << "\"\n";
        // A group of 10 users (100 sessions each) for the page's group reads.
        config << "\n[groups]\nbench = [";
        for (int u = 0; u < 10; ++u)
            config << (u ? ", " : "") << "\"user" << u * 97 << "\"";
        config << "]\n";
        std::ofstream(dir_ / "lmharvest.toml") << config.str();
        const std::string state = (dir_ / "lmstat.txt").string();
        const std::string config_file = (dir_ / "lmharvest.toml").string();
        const std::string log = (dir_ / "host.log").string();
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setenv("LMUTIL_EMULATOR_STATE", state.c_str(), 1);
            std::freopen(log.c_str(), "w", stderr);
            const char* other = std::getenv("BENCH_LMHARVEST");
            const char* binary = other != nullptr ? other : LH_LMHARVEST_BINARY;
            ::execl(binary, binary, "run", "--config", config_file.c_str(),
                    static_cast<char*>(nullptr));
            std::_Exit(127);
        }
    }
    ~Service() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    /// Waits (up to 5 min) until every server's sessions are stored.
    bool wait_until_full() const {
        const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(5);
        while (std::chrono::steady_clock::now() < until) {
            httplib::Client client("127.0.0.1", port_);
            client.set_read_timeout(std::chrono::seconds(60));
            // user0 holds one session per 1,000 lines on each server.
            const auto answer = client.Get("/api/v1/sessions?user=user0");
            if (answer && answer->status == 200 &&
                nlohmann::json::parse(answer->body, nullptr, false).size() ==
                    static_cast<size_t>(servers))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    int port() const { return port_; }
    pid_t pid() const { return pid_; }

private:
    static inline int started_ = 0;
    std::filesystem::path dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

} // namespace lmharvest::bench
