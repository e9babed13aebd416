// A writer killed with SIGKILL in the middle of its polls leaves a sound file holding only
// whole polls.
#include "crash_batch.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

struct Killed {
    int64_t last_reported_batch = 0; // the last batch the writer said it committed
    int term_signal = 0;
};

// Runs the writer from `first_batch`, lets it report `min_batches` commits, waits a random
// moment more (to land anywhere in a transaction) and kills it.
Killed run_and_kill(const std::filesystem::path& file, int64_t first_batch, int min_batches,
                    std::mt19937& random) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::string path = STORE_CRASH_WRITER, file_arg = file.string(),
                first = std::to_string(first_batch);
    char* argv[] = {path.data(), file_arg.data(), first.data(), nullptr};
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    REQUIRE(spawned == 0);

    Killed killed;
    FILE* reports = fdopen(out[0], "r");
    long long batch = 0;
    for (int seen = 0; seen < min_batches && std::fscanf(reports, "%lld", &batch) == 1; ++seen)
        killed.last_reported_batch = batch;
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 20000)(random)));
    kill(pid, SIGKILL);
    // Batches reported between the last read and the kill were committed too.
    while (std::fscanf(reports, "%lld", &batch) == 1)
        killed.last_reported_batch = batch;
    std::fclose(reports);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (WIFSIGNALED(status))
        killed.term_signal = WTERMSIG(status);
    return killed;
}

} // namespace

TEST_CASE("a writer killed mid-poll leaves only whole polls") {
    TempDir dir;
    const auto file = dir.path() / "state.db";
    std::mt19937 random(std::random_device{}());
    int64_t next_batch = 1;
    for (int round = 0; round < 5; ++round) {
        INFO("round " << round);
        Killed killed = run_and_kill(file, next_batch, 3, random);
        REQUIRE(killed.term_signal == SIGKILL);
        REQUIRE(killed.last_reported_batch >= next_batch + 2);

        SQLite::Database db(file, SQLite::OPEN_READWRITE); // recovers the WAL
        CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
        SQLite::Statement dangling(db, "PRAGMA foreign_key_check");
        CHECK_FALSE(dangling.executeStep());

        // Every batch from 1 up to the last one present is there with all its sessions.
        SQLite::Statement batches(
            db, "SELECT CAST(substr(feature, 7) AS INTEGER) AS batch, count(*) FROM sessions "
                "GROUP BY feature ORDER BY batch");
        int64_t expected = 1;
        while (batches.executeStep()) {
            CHECK(batches.getColumn(0).getInt64() == expected);
            CHECK(batches.getColumn(1).getInt() == sessions_per_batch);
            ++expected;
        }
        const int64_t last = expected - 1;
        CHECK(last >= killed.last_reported_batch);

        // The last poll's diff is whole too: only its sessions are open, only its features left.
        auto store = lmharvest::Store::open(file);
        REQUIRE(store.has_value());
        auto open = (*store)->open_sessions();
        CHECK(open.size() == sessions_per_batch);
        for (const auto& session : open)
            CHECK(session.session.feature == "batch-" + std::to_string(last));
        auto features = (*store)->features(std::string(crash_server));
        CHECK(features.size() == sessions_per_batch);
        for (const auto& feature : features)
            CHECK(feature.usage.version == std::to_string(last));
        CHECK((*store)->session_history(0, last + 1, 1000000).size() ==
              static_cast<size_t>((last - 1) * sessions_per_batch));
        next_batch = last + 1;
    }
}
