// EventHub, the live events' fan-out, on real sockets (socketpair): the bound on listeners, the
// heartbeat when nothing happens, one chunk per poll to every listener from the hub's one
// thread, a listener that does not read, one that leaves, and the end of every stream at stop().
#include "api/event_hub.hpp"

#include <catch2/catch.hpp>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

PollEvent poll_of(const std::string& server, std::size_t sessions) {
    PollEvent event;
    event.server_id = server;
    event.poll_time = 1764583200; // 2025-12-01T10:00:00Z
    event.sessions = sessions;
    event.licenses = static_cast<int64_t>(sessions) * 2;
    return event;
}

// The hub's end of a socketpair, as take_connection() would give it.
class PairEnd final : public HandedConnection {
public:
    explicit PairEnd(int fd) : fd_(fd) {}
    ~PairEnd() override { ::close(fd_); }
    int fd() const override { return fd_; }
    ssize_t send_now(const char* data, std::size_t size) override {
        const ssize_t sent = ::send(fd_, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        return sent < 0 && errno == EAGAIN ? 0 : sent;
    }
    short wants() const override { return POLLOUT; }
    bool drain() override {
        char discard[256];
        const ssize_t got = ::recv(fd_, discard, sizeof discard, MSG_DONTWAIT);
        return got > 0 || (got < 0 && errno == EAGAIN);
    }

private:
    int fd_;
};

// A client's end: what it read so far.
class Client {
public:
    Client(EventHub& hub, std::shared_ptr<EventHub::Seat> seat) {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        fd_ = fds[0];
        hub.adopt(std::make_unique<PairEnd>(fds[1]), std::move(seat));
    }
    ~Client() { close(); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// Reads until `text` arrived (true), `limit` passed or the stream ended (false).
    bool read_until(const std::string& text, std::chrono::milliseconds limit = 5s) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (received.find(text) == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                end - std::chrono::steady_clock::now());
            pollfd ready{fd_, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0)
                return false;
            char buffer[4096];
            const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) {
                ended = true;
                return false;
            }
            received.append(buffer, static_cast<std::size_t>(got));
        }
        return true;
    }
    void close() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

    std::string received;
    bool ended = false;

private:
    int fd_ = -1;
};

bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 500; ++i) {
        if (done())
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

} // namespace

TEST_CASE("event hub: at most max_listeners; a seat comes back when its listener leaves") {
    EventHub hub(2, 10s);
    auto first = hub.reserve();
    auto second = hub.reserve();
    REQUIRE(first);
    REQUIRE(second);
    CHECK_FALSE(hub.reserve());
    second.reset(); // a request that never began its stream
    auto again = hub.reserve();
    REQUIRE(again);
    {
        Client leaving(hub, std::move(again));
        REQUIRE(eventually([&] { return hub.listening() == 1; }));
        CHECK_FALSE(hub.reserve());
    } // its client closes: the hub notices and frees the seat
    CHECK(eventually([&] { return hub.listening() == 0 && hub.reserve() != nullptr; }));
}

TEST_CASE("event hub: a heartbeat comment, as a chunk, when no poll came within the period") {
    EventHub hub(1, 50ms);
    Client client(hub, hub.reserve());
    const std::string comment = ": heartbeat\n\n";
    REQUIRE(client.read_until(comment + "\r\n"));
    char size[8];
    std::snprintf(size, sizeof size, "%zx\r\n", comment.size());
    CHECK(client.received.rfind(size + comment + "\r\n", 0) == 0);
}

TEST_CASE("event hub: each poll is one chunk of `event: poll` with its JSON, to every listener") {
    EventHub hub(100, 10s);
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 100; ++i)
        clients.push_back(std::make_unique<Client>(hub, hub.reserve()));
    REQUIRE(eventually([&] { return hub.listening() == 100; }));
    hub.publish(poll_of("flex-a", 3));
    hub.publish(poll_of("lmx-b", 1));
    for (auto& client : clients) {
        REQUIRE(client->read_until("\"server\":\"lmx-b\""));
        const std::string& got = client->received;
        const auto data_at = got.find("event: poll\ndata: ");
        REQUIRE(data_at != std::string::npos);
        const std::string size = got.substr(0, got.find("\r\n"));
        const std::string frame = poll_event_frame(poll_of("flex-a", 3));
        CHECK(std::stoul(size, nullptr, 16) == frame.size());
        const auto start = data_at + std::string("event: poll\ndata: ").size();
        const auto data = nlohmann::json::parse(got.substr(start, got.find("\n\n") - start));
        CHECK(data.at("server") == "flex-a");
        CHECK(data.at("sessions") == 3);
        CHECK(data.at("licenses") == 6);
        CHECK(data.at("ok") == true);
    }
}

TEST_CASE("event hub: a listener that does not read keeps only the newest events, and the "
          "others get theirs") {
    EventHub hub(2, 10s);
    Client stuck(hub, hub.reserve());
    Client reading(hub, hub.reserve());
    REQUIRE(eventually([&] { return hub.listening() == 2; }));
    const std::string padding(2000, 'x'); // fills the stuck socket's buffer soon
    // In bursts that the reading listener takes whole (a burst of more than max_queued
    // events within one turn of the hub's thread would drop some for everyone).
    for (int i = 0; i < 2000; ++i) {
        hub.publish(poll_of("s" + std::to_string(i) + padding, 1));
        if (i % 32 == 31)
            REQUIRE(reading.read_until("\"server\":\"s" + std::to_string(i) + padding));
    }
    REQUIRE(reading.read_until("\"server\":\"s1999" + padding));
    for (int i : {0, 1000, 1999})
        CHECK(reading.received.find("\"server\":\"s" + std::to_string(i) + padding) !=
              std::string::npos);
    REQUIRE(stuck.read_until("\"server\":\"s1999", 10s));
    // It got the start (what the socket held) and the newest, not all 2,000.
    std::size_t events = 0;
    for (auto at = stuck.received.find("event: poll"); at != std::string::npos;
         at = stuck.received.find("event: poll", at + 1))
        ++events;
    CHECK(events < 2000);
    CHECK(events >= EventHub::max_queued);
}

TEST_CASE("event hub: stop() ends every stream with its last chunk and refuses new listeners") {
    EventHub hub(2, 60s);
    Client client(hub, hub.reserve());
    REQUIRE(eventually([&] { return hub.listening() == 1; }));
    const auto start = std::chrono::steady_clock::now();
    hub.stop();
    client.read_until("never sent", 5s);
    CHECK(client.ended);
    CHECK(client.received == "0\r\n\r\n");
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK_FALSE(hub.reserve());
}
