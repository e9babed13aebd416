#include "limit_checks.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <thread>

namespace lmharvest::testing {

std::string healthz(int port, Transport transport) {
    const auto get = [](auto& client) {
        client.set_connection_timeout(std::chrono::seconds(2));
        client.set_read_timeout(std::chrono::seconds(2)); // the server's read timeout is 5 s
        const auto result = client.Get("/healthz");
        return result && result->status == 200 ? result->body : std::string();
    };
    if (transport == Transport::plain) {
        httplib::Client client("127.0.0.1", port);
        return get(client);
    }
    httplib::SSLClient client("127.0.0.1", port);
    client.enable_server_certificate_verification(false);
    return get(client);
}

void check_slow_clients_do_not_block(HostFixture& host, Transport transport) {
    INFO(to_string(transport));
    REQUIRE(eventually([&] { return healthz(host.port(), transport) == "ok\n"; }));
    std::vector<std::unique_ptr<Connection>> slow;
    for (int i = 0; i < 8; ++i) {
        auto connection = connect_to(host.port(), transport);
        REQUIRE(connection);
        const std::string half = "GET /healthz HTTP/1.1\r\nHost: 127.0";
        REQUIRE(connection->send(half.data(), half.size()) == static_cast<ssize_t>(half.size()));
        slow.push_back(std::move(connection));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let the server take them all
    CHECK(healthz(host.port(), transport) == "ok\n");
}

void check_trickle_and_endless_line_cut(HostFixture& host, Transport transport) {
    INFO(to_string(transport));
    REQUIRE(eventually([&] { return healthz(host.port(), transport) == "ok\n"; }));
    const long before = resident_kb(host.host().pid());

    // One byte every 500 ms: no single read times out, the whole request does (10 s).
    {
        auto trickle = connect_to(host.port(), transport);
        REQUIRE(trickle);
        const std::string header = "GET /healthz HTTP/1.1\r\nX-Slow: " + std::string(200, 'a');
        const auto start = std::chrono::steady_clock::now();
        bool cut = false;
        for (char c : header) {
            if (trickle->send(&c, 1) != 1) {
                cut = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            if (std::chrono::steady_clock::now() - start > std::chrono::seconds(20))
                break;
        }
        CHECK(cut);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    }

    // 64 MB of a request line without an end: the host stops reading past its budget.
    {
        auto endless = connect_to(host.port(), transport);
        REQUIRE(endless);
        const std::string line(1024 * 1024, 'A');
        std::size_t sent = 0;
        while (sent < 64u * 1024 * 1024) {
            const ssize_t wrote = endless->send(line.data(), line.size());
            if (wrote <= 0)
                break;
            sent += static_cast<std::size_t>(wrote);
        }
        CHECK(sent < 64u * 1024 * 1024);
    }
    CHECK(resident_kb(host.host().pid()) - before < 32 * 1024);
    CHECK(healthz(host.port(), transport) == "ok\n");
}

void check_large_bodies_refused(HostFixture& host, Transport transport) {
    INFO(to_string(transport));
    REQUIRE(eventually([&] { return healthz(host.port(), transport) == "ok\n"; }));
    const long before = resident_kb(host.host().pid());
    REQUIRE(before > 0);
    // Four clients each announce and send 300 MB without a token, at the same time.
    std::vector<std::thread> clients;
    std::vector<std::string> answers(4);
    std::vector<std::size_t> sent(4, 0);
    for (int i = 0; i < 4; ++i)
        clients.emplace_back([&, i] {
            auto connection = connect_to(host.port(), transport);
            if (!connection)
                return;
            const std::size_t size = 300u * 1024 * 1024;
            const std::string head = "POST /api/v1/sessions/1/close HTTP/1.1\r\nHost: 127.0.0.1"
                                     "\r\nContent-Type: application/json\r\nContent-Length: " +
                                     std::to_string(size) + "\r\n\r\n";
            connection->send(head.data(), head.size());
            const std::string chunk(1024 * 1024, 'x');
            while (sent[i] < size) {
                const ssize_t wrote = connection->send(chunk.data(), chunk.size());
                if (wrote <= 0)
                    break; // the server closed the connection
                sent[i] += static_cast<std::size_t>(wrote);
            }
            answers[i] = connection->read_all();
        });
    for (std::thread& client : clients)
        client.join();
    for (int i = 0; i < 4; ++i) {
        INFO("client " << i << " sent " << sent[i] << " bytes");
        CHECK_THAT(answers[i], Catch::StartsWith("HTTP/1.1 413"));
        CHECK_THAT(answers[i], Catch::Contains("more than the limit"));
        CHECK(sent[i] < 300u * 1024 * 1024);
    }
    CHECK(resident_kb(host.host().pid()) - before < 64 * 1024);
}

} // namespace lmharvest::testing
