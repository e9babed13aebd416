// The follower on real temporary files: first start, growth, partial lines, rotation,
// truncation and restart.
#include "debuglog_follower.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using lmharvest::flexnet::DebugLogFollower;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "lh-follow-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

void append(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::app | std::ios::binary) << text;
}

} // namespace

TEST_CASE("the follower hands out each whole line once, across rotation, truncation, restart") {
    TempDir dir;
    const fs::path log = dir.path / "vendor.log";
    const std::string bookmark = (dir.path / "bookmark").string();
    append(log, "old 1\nold 2\n");

    {
        DebugLogFollower follower(log.string(), bookmark, false);
        CHECK(follower.read_new().lines.empty()); // first start: from the end
        REQUIRE(follower.commit("ctx-1").empty());
        append(log, "new 1\nnew 2 still being wri");
        CHECK(follower.read_new().lines == "new 1\n");
        REQUIRE(follower.commit("ctx-2").empty());
        append(log, "tten\n");
        CHECK(follower.read_new().lines == "new 2 still being written\n");
        REQUIRE(follower.commit("ctx-3").empty());
    }
    SECTION("restart resumes at the bookmark with its context") {
        append(log, "after restart\n");
        DebugLogFollower follower(log.string(), bookmark, true);
        CHECK(follower.context() == "ctx-3");
        CHECK(follower.read_new().lines == "after restart\n");
    }
    SECTION("an uncommitted read is read again") {
        append(log, "x\n");
        DebugLogFollower follower(log.string(), bookmark, false);
        CHECK(follower.read_new().lines == "x\n");
        DebugLogFollower again(log.string(), bookmark, false);
        CHECK(again.read_new().lines == "x\n");
    }
    SECTION("rotation: a new file under the name is read from its start") {
        fs::rename(log, dir.path / "vendor.log.1");
        append(log, "rotated 1\n");
        DebugLogFollower follower(log.string(), bookmark, false);
        CHECK(follower.read_new().lines == "rotated 1\n");
    }
    SECTION("truncation in place starts again at 0") {
        fs::resize_file(log, 0);
        append(log, "t\n");
        DebugLogFollower follower(log.string(), bookmark, false);
        CHECK(follower.read_new().lines == "t\n");
    }
}

TEST_CASE("debug_log_from_start reads what is there; a missing log is an error, not a crash") {
    TempDir dir;
    const fs::path log = dir.path / "vendor.log";
    append(log, "a\nb\n");
    DebugLogFollower from_start(log.string(), (dir.path / "b1").string(), true);
    CHECK(from_start.read_new().lines == "a\nb\n");
    DebugLogFollower missing((dir.path / "none.log").string(), (dir.path / "b2").string(), true);
    const auto chunk = missing.read_new();
    CHECK(chunk.lines.empty());
    CHECK(chunk.error.find("none.log") != std::string::npos);
}

TEST_CASE("a line longer than one read is handed out rather than stalling") {
    TempDir dir;
    const fs::path log = dir.path / "vendor.log";
    append(log, std::string(100, 'x'));
    DebugLogFollower follower(log.string(), (dir.path / "b").string(), true, 64);
    CHECK(follower.read_new().lines.size() == 64);
    REQUIRE(follower.commit("").empty());
    CHECK(follower.read_new().lines.empty()); // the last 36 bytes: no newline yet
}
