// The session lists streamed row by row as SQLite steps them (reply_session_rows) over real
// HTTP on 127.0.0.1 from a real store file: the same bytes as the JSON of the whole list, the
// same pages and cursors, and an answer cut (not shortened) when reading fails mid-way.
#include "api/http_reply.hpp"
#include "store_fixture.hpp"

#include "json/records_json.hpp"
#include <catch2/catch.hpp>
#include <future>
#include <httplib.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest;

namespace {

// 3,000 open sessions of 30 users (odd bytes in some names) and 500 closed ones: a few hundred
// KiB of JSON, so the answer spans many 64 KiB chunks.
void record_sessions(StoreOnTempFile& s) {
    std::vector<Session> sessions;
    for (int i = 0; i < 3500; ++i) {
        Session session = make_session("u" + std::to_string(i % 30) + (i % 7 ? "" : "\xff\"<"),
                                       "F" + std::to_string(i % 13), 1000 + i * 37 % 900,
                                       "h" + std::to_string(i));
        session.count = 1 + i % 3;
        sessions.push_back(std::move(session));
    }
    s.record(make_snapshot("eng", 2000, sessions));
    sessions.resize(3000); // the last 500 go: closed as "gone"
    s.record(make_snapshot("eng", 2100, sessions));
}

std::string json_of(const std::vector<SessionRecord>& records) {
    std::string text;
    REQUIRE(write_json(records, [&](std::string_view piece) {
        text += piece;
        return true;
    }));
    return text;
}

// An httplib server on a free port of 127.0.0.1, serving `handler` on GET /list.
class ListServer {
public:
    explicit ListServer(httplib::Server::Handler handler) {
        server_.Get("/list", std::move(handler));
        server_.set_write_timeout(30, 0); // a stalled client holds its stream this long
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) // httplib 0.11 has no wait_until_ready()
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~ListServer() {
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    httplib::Result get() {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(std::chrono::seconds(30));
        return client.Get("/list");
    }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

// A client that asks for the list and then reads nothing, with a small receive buffer: the
// server's stream stalls once the socket buffers are full.
class StalledClient {
public:
    explicit StalledClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        const int small = 4096;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        const std::string request = "GET /list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(request.size()));
    }
    ~StalledClient() { ::close(fd_); }
    StalledClient(const StalledClient&) = delete;
    StalledClient& operator=(const StalledClient&) = delete;

private:
    int fd_;
};

// Rows that fail after `good` of them, as SQLite would on an I/O error.
class FailingRows final : public SessionRows {
public:
    explicit FailingRows(std::vector<SessionRecord> rows, std::size_t good)
        : rows_(std::move(rows)), good_(good) {}
    const std::optional<std::string>& next_cursor() const override { return none_; }
    const SessionRecord* next() override {
        if (at_ == good_)
            throw std::runtime_error("disk I/O error");
        return &rows_.at(at_++);
    }

private:
    std::vector<SessionRecord> rows_;
    std::size_t good_;
    std::size_t at_ = 0;
    std::optional<std::string> none_;
};

} // namespace

TEST_CASE("streamed session lists are byte for byte the JSON of the whole list, page by page") {
    StoreOnTempFile s;
    record_sessions(s);
    SessionFilter filter;
    PageRequest page;
    ListServer server([&](const httplib::Request&, httplib::Response& response) {
        auto rows = s.store->open_session_rows(filter, page);
        REQUIRE(rows.has_value());
        reply_session_rows(response, std::move(*rows));
    });

    const std::vector<SessionRecord> all = s.store->open_sessions();
    REQUIRE(all.size() == 3000);
    const auto whole = server.get();
    REQUIRE(whole);
    CHECK(whole->status == 200);
    CHECK(whole->body.size() > 256 * 1024);
    CHECK(whole->body == json_of(all));
    CHECK_FALSE(whole->has_header("X-Next-Cursor"));

    filter.user = "u3";
    std::vector<SessionRecord> of_u3;
    for (const SessionRecord& r : all)
        if (r.session.user == "u3")
            of_u3.push_back(r);
    REQUIRE(of_u3.size() > 80); // three pages of 40
    const auto filtered = server.get();
    REQUIRE(filtered);
    CHECK(filtered->body == json_of(of_u3));

    // Pages of 40 in the user's order: each page's bytes are its slice of the whole list, the
    // cursor leads to the next, and the last page has none.
    page.limit = 40;
    page.sort = {{"checkout_time", true}};
    auto newest_first = of_u3;
    std::stable_sort(newest_first.begin(), newest_first.end(), [](const auto& a, const auto& b) {
        return a.session.checkout_time != b.session.checkout_time
                   ? a.session.checkout_time > b.session.checkout_time
                   : a.id < b.id;
    });
    for (std::size_t start = 0; start < newest_first.size(); start += 40) {
        INFO("page from row " << start);
        const auto answer = server.get();
        REQUIRE(answer);
        const std::size_t end = std::min(start + 40, newest_first.size());
        CHECK(answer->body == json_of({newest_first.begin() + static_cast<long>(start),
                                       newest_first.begin() + static_cast<long>(end)}));
        CHECK(answer->has_header("X-Next-Cursor") == (end < newest_first.size()));
        page.cursor = answer->get_header_value("X-Next-Cursor");
    }
}

TEST_CASE("streamed closed sessions are the JSON of the listed page") {
    StoreOnTempFile s;
    record_sessions(s);
    const auto listed = s.store->closed_sessions({}, {.limit = 300});
    REQUIRE(listed.has_value());
    REQUIRE(listed->rows.size() == 300);
    REQUIRE(listed->next_cursor);
    ListServer server([&](const httplib::Request&, httplib::Response& response) {
        auto rows = s.store->closed_session_rows({}, {.limit = 300});
        REQUIRE(rows.has_value());
        reply_session_rows(response, std::move(*rows));
    });
    const auto answer = server.get();
    REQUIRE(answer);
    CHECK(answer->body == json_of(listed->rows));
    CHECK(answer->get_header_value("X-Next-Cursor") == *listed->next_cursor);
}

TEST_CASE("a read failing mid-stream cuts the answer: the client sees it incomplete, not short") {
    StoreOnTempFile s;
    record_sessions(s);
    const std::vector<SessionRecord> all = s.store->open_sessions();
    ListServer server([&](const httplib::Request&, httplib::Response& response) {
        reply_session_rows(response, std::make_unique<FailingRows>(all, 2000));
    });
    const auto answer = server.get();
    // httplib's client refuses a chunked answer without its last chunk.
    CHECK_FALSE(answer);
    if (answer)
        CHECK_FALSE(nlohmann::json::accept(answer->body));
}

TEST_CASE("clients that stall streamed lists do not make the store's other reads wait") {
    StoreOnTempFile s;
    std::vector<Session> sessions; // ~10 MB of JSON: more than the socket buffers hold
    for (int i = 0; i < 40000; ++i)
        sessions.push_back(make_session("u" + std::to_string(i % 500), "F" + std::to_string(i % 9),
                                        1000 + i, "h" + std::to_string(i)));
    s.record(make_snapshot("eng", 2000, sessions));
    ListServer server([&](const httplib::Request&, httplib::Response& response) {
        auto rows = s.store->open_session_rows({}, {});
        REQUIRE(rows.has_value());
        reply_session_rows(response, std::move(*rows));
    });
    // More stalled streams than the store has connections for its other reads (4).
    std::vector<std::unique_ptr<StalledClient>> stalled;
    for (int i = 0; i < 6; ++i)
        stalled.push_back(std::make_unique<StalledClient>(server.port()));
    std::this_thread::sleep_for(std::chrono::seconds(1)); // their streams fill the buffers

    auto users = std::async(std::launch::async, [&] { return s.store->open_session_users(); });
    const bool answered = users.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
    stalled.clear(); // the streams end, so a read that waited for them ends too
    CHECK(answered);
    CHECK(users.get().size() == 500);
}
