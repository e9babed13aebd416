// Frames on a real socketpair: what is written is read whole; a silent peer costs the reader
// its deadline, a closed one is seen as closed, and an oversized frame is not read.
#include "isolation/frame.hpp"

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <unistd.h>

using namespace lmharvest::isolation;
using namespace std::chrono_literals;

namespace {

struct SocketPair {
    SocketPair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0); }
    ~SocketPair() {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    int fds[2] = {-1, -1};
};

auto in(std::chrono::milliseconds delay) {
    return std::chrono::steady_clock::now() + delay;
}

} // namespace

TEST_CASE("a frame written is read whole, with its type") {
    SocketPair pair;
    REQUIRE(write_frame(pair.fds[0], FrameType::polled, "records"));
    REQUIRE(write_frame(pair.fds[0], FrameType::log, ""));
    Frame frame;
    REQUIRE(read_frame(pair.fds[1], frame, in(5s), 1024) == ReadStatus::ok);
    CHECK(frame.type == FrameType::polled);
    CHECK(frame.payload == "records");
    REQUIRE(read_frame(pair.fds[1], frame, in(5s), 1024) == ReadStatus::ok);
    CHECK(frame.type == FrameType::log);
    CHECK(frame.payload.empty());
}

TEST_CASE("a peer that sends nothing costs the reader its deadline") {
    SocketPair pair;
    Frame frame;
    const auto start = std::chrono::steady_clock::now();
    CHECK(read_frame(pair.fds[1], frame, in(200ms), 1024) == ReadStatus::timed_out);
    CHECK(std::chrono::steady_clock::now() - start >= 200ms);
}

TEST_CASE("a peer that closes is seen as closed, also in the middle of a frame") {
    SocketPair pair;
    const char header[5] = {10, 0, 0, 0, 5}; // ten bytes announced, none sent
    REQUIRE(::write(pair.fds[0], header, sizeof header) == 5);
    ::close(pair.fds[0]);
    pair.fds[0] = -1;
    Frame frame;
    CHECK(read_frame(pair.fds[1], frame, in(5s), 1024) == ReadStatus::closed);
}

TEST_CASE("a frame above the limit is not read") {
    SocketPair pair;
    REQUIRE(write_frame(pair.fds[0], FrameType::polled, std::string(2000, 'x')));
    Frame frame;
    CHECK(read_frame(pair.fds[1], frame, in(5s), 1024) == ReadStatus::too_large);
    CHECK(frame.payload.empty());
}
