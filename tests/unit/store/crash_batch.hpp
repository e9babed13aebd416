// The polls store_crash_writer writes until it is killed: batch n is one poll of server
// "crash" whose sessions all use feature "batch-<n>" and whose features all have version <n>,
// so that the test can count each batch's rows after the kill.
#pragma once

#include "store_fixture.hpp"

#include <string>

constexpr int sessions_per_batch = 50;
constexpr const char* crash_server = "crash";

inline lmharvest::PollSnapshot crash_batch(int64_t batch) {
    const std::string feature = "batch-" + std::to_string(batch);
    lmharvest::PollSnapshot snapshot = make_snapshot(crash_server, batch, {});
    for (int i = 0; i < sessions_per_batch; ++i) {
        snapshot.sessions.push_back(make_session("user" + std::to_string(i), feature, batch));
        snapshot.features.push_back({"MLM", "F" + std::to_string(i), std::to_string(batch), 100, 1,
                                     0, 0, "permanent", 0, ""});
    }
    return snapshot;
}
