#include "simulated_server.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <stdexcept>

using namespace lmharvest::sim;

namespace {

constexpr int64_t start_time = 1739181960; // Mon 2025-02-10 10:06:00 UTC

SimSettings settings_for(uint64_t seed, std::string vendor = "MLM") {
    SimSettings settings;
    settings.seed = seed;
    settings.vendor = std::move(vendor);
    return settings;
}

SimSnapshot snapshot_at(SimulatedServer& server, int64_t poll_time) {
    server.step_to(poll_time);
    return server.snapshot();
}

// What a new server with these settings shows at its first poll.
SimSnapshot first_poll(const SimSettings& settings) {
    SimulatedServer server(settings);
    return snapshot_at(server, start_time);
}

std::set<std::string> close_tokens(const SimSnapshot& snapshot) {
    std::set<std::string> tokens;
    for (const SimSession& session : snapshot.sessions)
        tokens.insert(session.close_token);
    return tokens;
}

const SimFeature& feature_named(const SimSnapshot& snapshot, const std::string& name) {
    for (const SimFeature& feature : snapshot.features)
        if (feature.name == name)
            return feature;
    throw std::logic_error("no feature " + name);
}

// Everything a host relies on when it reads a snapshot.
void check_invariants(const SimSnapshot& snapshot, int64_t poll_time) {
    std::map<std::string, int64_t> used_by_sessions;
    std::set<std::string> tokens, handles, holders;
    for (const SimSession& session : snapshot.sessions) {
        INFO("session " << session.close_token << " of " << session.user << " on "
                        << session.feature);
        CHECK(session.count >= 1);
        CHECK(session.checkout_time <= poll_time);
        CHECK(session.checkout_time > 0);
        if (session.borrow_expiry != 0)
            CHECK(session.borrow_expiry > session.checkout_time);
        CHECK(tokens.insert(session.close_token).second);
        if (!session.handle.empty())
            CHECK(handles.insert(session.handle).second);
        CHECK(holders.insert(session.user + "|" + session.feature).second);
        used_by_sessions[session.feature] += session.count;
    }
    for (const SimFeature& feature : snapshot.features) {
        INFO("feature " << feature.name);
        CHECK(feature.used == used_by_sessions[feature.name]);
        if (!feature.uncounted)
            CHECK(feature.used <= feature.total);
        CHECK(feature.uncounted == (feature.total == -1));
    }
}

} // namespace

TEST_CASE("the same seed and the same poll times give the same server") {
    SimulatedServer first(settings_for(42, ""));
    SimulatedServer second(settings_for(42, ""));
    for (int64_t poll_time : {start_time, start_time + 60, start_time + 61, start_time + 900,
                              start_time + 7200, start_time + 3 * 86400}) {
        INFO("poll at " << poll_time);
        const SimSnapshot snapshot = snapshot_at(first, poll_time);
        CHECK(snapshot == snapshot_at(second, poll_time));
        CHECK_FALSE(snapshot.sessions.empty());
    }
}

TEST_CASE("the state at a time does not depend on how often it was polled on the way") {
    SimulatedServer rarely(settings_for(9));
    SimulatedServer often(settings_for(9));
    rarely.step_to(start_time);
    for (int64_t poll_time = start_time; poll_time <= start_time + 3600; poll_time += 45)
        often.step_to(poll_time);
    CHECK(snapshot_at(rarely, start_time + 3600) == often.snapshot());
}

TEST_CASE("different seeds give different servers") {
    const SimSnapshot first = first_poll(settings_for(1));
    const SimSnapshot second = first_poll(settings_for(2));
    CHECK(first.features.front().name == second.features.front().name); // same vendor
    CHECK(first.sessions != second.sessions);
    CHECK(first.features != second.features);
}

TEST_CASE("sessions end and start as time passes, driven by churn") {
    SimulatedServer busy(settings_for(5));
    const SimSnapshot before = snapshot_at(busy, start_time);
    const SimSnapshot after = snapshot_at(busy, start_time + 1800);
    const std::set<std::string> old_tokens = close_tokens(before);
    const std::set<std::string> new_tokens = close_tokens(after);
    size_t ended = 0, started = 0;
    for (const std::string& token : old_tokens)
        ended += new_tokens.count(token) == 0;
    for (const std::string& token : new_tokens)
        started += old_tokens.count(token) == 0;
    CHECK(ended > 0);
    CHECK(started > 0);
}

TEST_CASE("without churn nothing changes within a day") {
    SimSettings settings = settings_for(5);
    settings.churn_percent = 0;
    SimulatedServer still(settings);
    const SimSnapshot first = snapshot_at(still, start_time);
    CHECK(snapshot_at(still, start_time + 1800) == first);
}

TEST_CASE("a poll time before the previous one changes nothing") {
    SimulatedServer server(settings_for(3));
    const SimSnapshot now = snapshot_at(server, start_time + 600);
    CHECK(snapshot_at(server, start_time) == now);
}

TEST_CASE("close removes exactly one session and a second close finds it gone") {
    SimulatedServer server(settings_for(11));
    const SimSnapshot before = snapshot_at(server, start_time);
    REQUIRE(before.sessions.size() >= 2);
    const SimSession victim = before.sessions[before.sessions.size() / 2];

    CHECK(server.close(victim.close_token));
    const SimSnapshot after = server.snapshot();
    std::vector<SimSession> expected = before.sessions;
    std::erase(expected, victim);
    CHECK(after.sessions == expected);
    CHECK(feature_named(after, victim.feature).used ==
          feature_named(before, victim.feature).used - victim.count);

    CHECK_FALSE(server.close(victim.close_token));
    CHECK_FALSE(server.close("no-such-token"));
    CHECK(server.snapshot() == after);
}

TEST_CASE("invariants hold over many polls for every vendor and several seeds") {
    for (const VendorProfile& profile : vendor_profiles()) {
        for (uint64_t seed : {1u, 2u, 77u}) {
            INFO("vendor " << profile.name << " seed " << seed);
            SimSettings settings = settings_for(seed, std::string(profile.name));
            settings.features = static_cast<int>(profile.features.size());
            settings.churn_percent = 25;
            SimulatedServer server(settings);
            int64_t poll_time = start_time;
            for (int poll = 0; poll < 200; ++poll) {
                const SimSnapshot snapshot = snapshot_at(server, poll_time);
                check_invariants(snapshot, poll_time);
                if (poll % 7 == 0 && !snapshot.sessions.empty())
                    server.close(snapshot.sessions.front().close_token);
                poll_time += 37 + poll % 5 * 60;
            }
        }
    }
}

TEST_CASE("a close token is never reused, even after its session ended") {
    SimulatedServer server(settings_for(8));
    std::set<std::string> seen;
    std::set<std::string> open;
    for (int64_t poll_time = start_time; poll_time < start_time + 7200; poll_time += 60) {
        const std::set<std::string> now = close_tokens(snapshot_at(server, poll_time));
        for (const std::string& token : now)
            if (!open.count(token))
                CHECK(seen.insert(token).second);
        open = now;
    }
    CHECK(seen.size() > open.size());
}

TEST_CASE("a triad address gives three servers with one master") {
    SimSettings settings = settings_for(4);
    settings.address = "27000@lic1, 27000@lic2,27001@lic3";
    const SimSnapshot snapshot = first_poll(settings);
    REQUIRE(snapshot.servers.size() == 3);
    CHECK(snapshot.servers[0].host == "lic1");
    CHECK(snapshot.servers[1].host == "lic2");
    CHECK(snapshot.servers[2].host == "lic3");
    CHECK(snapshot.servers[2].port == "27001");
    CHECK(snapshot.servers[0].is_master);
    CHECK_FALSE(snapshot.servers[1].is_master);
    CHECK_FALSE(snapshot.servers[2].is_master);
    for (const SimServerStatus& status : snapshot.servers)
        CHECK(status.up);
    REQUIRE_FALSE(snapshot.sessions.empty());
    CHECK(snapshot.sessions.front().server == "lic1/27000");
}

TEST_CASE("an address without a port uses the vendor's usual one") {
    SimSettings settings = settings_for(4, "ALTAIR");
    settings.address = "lmx1";
    const SimSnapshot snapshot = first_poll(settings);
    REQUIRE(snapshot.servers.size() == 1);
    CHECK(snapshot.servers[0].host == "lmx1");
    CHECK(snapshot.servers[0].port == "6200");
    CHECK(snapshot.servers[0].is_master);
}

TEST_CASE("features look like the vendor's, with small totals and one uncounted") {
    const SimSnapshot snapshot = first_poll(settings_for(6, "MLM"));
    CHECK(snapshot.vendor.name == "MLM");
    REQUIRE(snapshot.features.size() == 6);
    CHECK(snapshot.features.front().name == "MATLAB");
    size_t uncounted = 0, small = 0;
    for (const SimFeature& feature : snapshot.features) {
        uncounted += feature.uncounted;
        small += !feature.uncounted && feature.total >= 2 && feature.total <= 5;
    }
    CHECK(uncounted == 1);
    CHECK(small >= 2);
}

TEST_CASE("sessions look like real checkouts") {
    // Many users and polls, so that rare kinds (multi-token, borrowed) show up.
    SimSettings settings = settings_for(21, "MLM");
    settings.users = 200;
    settings.features = 12;
    SimulatedServer flexnet(settings);
    std::set<std::string> users, hosts;
    size_t multi_token = 0, borrowed = 0, with_handle = 0;
    for (int64_t poll_time = start_time; poll_time < start_time + 6 * 3600; poll_time += 600) {
        for (const SimSession& session : snapshot_at(flexnet, poll_time).sessions) {
            users.insert(session.user);
            hosts.insert(session.host);
            multi_token += session.count > 1;
            with_handle += !session.handle.empty();
            CHECK(session.host.rfind("ws-", 0) == 0);
            CHECK(session.host.size() == 6);
            CHECK(session.host_ip.rfind("10.20.", 0) == 0);
            CHECK_FALSE(session.display.empty());
            CHECK(session.pid > 0); // MLM shows PIDs
            if (session.borrow_expiry != 0) {
                ++borrowed;
                CHECK(session.handle.empty());
            } else {
                CHECK_FALSE(session.handle.empty());
            }
        }
    }
    CHECK(users.size() > 50);
    CHECK(hosts.size() == users.size()); // one workstation each
    CHECK(multi_token > 0);
    CHECK(borrowed > 0);
    CHECK(with_handle > 0);

    SECTION("LM-X shows neither handles nor displays nor PIDs") {
        const SimSnapshot snapshot = first_poll(settings_for(21, "ALTAIR"));
        REQUIRE_FALSE(snapshot.sessions.empty());
        for (const SimSession& session : snapshot.sessions) {
            CHECK(session.handle.empty());
            CHECK(session.display.empty());
            CHECK(session.pid == 0);
        }
    }
}

TEST_CASE("a server set down reports every host down and nothing in use") {
    SimSettings settings = settings_for(2);
    settings.address = "27000@a,27000@b,27000@c";
    settings.down = true;
    const SimSnapshot snapshot = first_poll(settings);
    REQUIRE(snapshot.servers.size() == 3);
    for (const SimServerStatus& status : snapshot.servers) {
        CHECK_FALSE(status.up);
        CHECK_FALSE(status.message.empty());
    }
    CHECK_FALSE(snapshot.vendor.up);
    CHECK(snapshot.features.empty());
    CHECK(snapshot.sessions.empty());
}

TEST_CASE("settings the simulation cannot honour are refused with the reason") {
    SimSettings settings;
    CHECK(settings_problem(settings).empty());

    auto problem_with = [](auto change) {
        SimSettings changed;
        change(changed);
        return settings_problem(changed);
    };
    CHECK_THAT(problem_with([](SimSettings& s) { s.vendor = "NOPE"; }),
               Catch::Contains("unknown vendor 'NOPE'") && Catch::Contains("MLM"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.features = 0; }),
               Catch::Contains("features = 0"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.features = 13; }),
               Catch::Contains("out of range 1..12"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.users = 0; }), Catch::Contains("users = 0"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.users = max_users + 1; }),
               Catch::Contains("users"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.churn_percent = 101; }),
               Catch::Contains("churn = 101"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.address = ""; }), Catch::Contains("empty host"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.address = "27000@a,,27000@c"; }),
               Catch::Contains("empty host"));
    CHECK_THAT(problem_with([](SimSettings& s) { s.address = "27000@"; }),
               Catch::Contains("empty host"));

    settings.users = 0;
    CHECK_THROWS_AS(SimulatedServer(settings), std::invalid_argument);
}
