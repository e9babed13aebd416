// Builders for the snapshots the store tests write, and a store on a fresh temp file.
#pragma once

#include "store/store.hpp"
#include "temp_dir.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

inline lmharvest::Session make_session(std::string user, std::string feature, int64_t checkout_time,
                                       std::string handle = "") {
    lmharvest::Session s;
    s.vendor = "MLM";
    s.feature = std::move(feature);
    s.version = "1.0";
    s.user = std::move(user);
    s.host = s.user + "-pc";
    s.display = "/dev/tty";
    s.checkout_time = checkout_time;
    s.server = "lic1";
    s.handle = handle;
    s.close_token = handle.empty() ? s.user + "@" + s.host : handle;
    return s;
}

inline lmharvest::PollSnapshot make_snapshot(std::string server, int64_t poll_time,
                                             std::vector<lmharvest::Session> sessions) {
    lmharvest::PollSnapshot snapshot;
    snapshot.server_id = std::move(server);
    snapshot.poll_time = poll_time;
    snapshot.duration_ms = 42;
    snapshot.servers.push_back({"lic1", lmharvest::State::up, true, "v11.19", ""});
    snapshot.sessions = std::move(sessions);
    return snapshot;
}

inline lmharvest::PollSnapshot failed_snapshot(std::string server, int64_t poll_time,
                                               std::string error) {
    lmharvest::PollSnapshot snapshot;
    snapshot.server_id = std::move(server);
    snapshot.poll_time = poll_time;
    snapshot.ok = false;
    snapshot.error = std::move(error);
    return snapshot;
}

/// A store on `state.db` in its own temp folder.
struct StoreOnTempFile {
    TempDir dir;
    std::filesystem::path file = dir.path() / "state.db";
    std::unique_ptr<lmharvest::Store> store = open(file);

    static std::unique_ptr<lmharvest::Store> open(const std::filesystem::path& file) {
        auto opened = lmharvest::Store::open(file);
        if (!opened)
            throw std::runtime_error(opened.error());
        return std::move(*opened);
    }
    lmharvest::PollChanges record(const lmharvest::PollSnapshot& snapshot) {
        return store->record_poll(snapshot, "flexnet", "27000@lic1");
    }
};
