// record_poll: one poll of one server, diffed against what the store already holds.
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

const SessionRecord* find_user(const std::vector<SessionRecord>& sessions,
                               const std::string& user) {
    auto it = std::find_if(sessions.begin(), sessions.end(),
                           [&](const SessionRecord& r) { return r.session.user == user; });
    return it == sessions.end() ? nullptr : &*it;
}

ServerRecord server_named(Store& store, const std::string& id) {
    for (ServerRecord& server : store.servers())
        if (server.id == id)
            return server;
    throw std::runtime_error("no server " + id);
}

} // namespace

TEST_CASE("sessions are opened, updated and closed by identity across polls") {
    StoreOnTempFile s;
    const PollChanges opened = s.record(
        make_snapshot("eng", 1000,
                      {make_session("alice", "MATLAB", 900), make_session("bob", "MATLAB", 950),
                       make_session("carol", "Simulink", 960)}));
    CHECK(opened.opened == std::vector<std::size_t>{0, 1, 2});
    CHECK(opened.gone == 0);
    auto first = s.store->open_sessions();
    REQUIRE(first.size() == 3);
    for (const SessionRecord& r : first) {
        CHECK(r.server == "eng");
        CHECK(r.first_seen == 1000);
        CHECK(r.last_seen == 1000);
        CHECK_FALSE(r.closed_at.has_value());
        CHECK(r.identity == session_identity(r.session));
    }

    Session alice_again = make_session("alice", "MATLAB", 900);
    alice_again.count = 3;
    const PollChanges changes =
        s.record(make_snapshot("eng", 1060,
                               {alice_again, make_session("carol", "Simulink", 960),
                                make_session("dave", "MATLAB", 1030)}));
    CHECK(changes.opened == std::vector<std::size_t>{2}); // dave
    CHECK(changes.gone == 1);                             // bob
    auto second = s.store->open_sessions();
    REQUIRE(second.size() == 3);
    const SessionRecord* alice = find_user(second, "alice");
    REQUIRE(alice != nullptr);
    CHECK(alice->id == find_user(first, "alice")->id);
    CHECK(alice->session.count == 3);
    CHECK(alice->first_seen == 1000);
    CHECK(alice->last_seen == 1060);
    CHECK(find_user(second, "carol")->id == find_user(first, "carol")->id);
    REQUIRE(find_user(second, "dave") != nullptr);
    CHECK(find_user(second, "dave")->first_seen == 1060);
    CHECK(find_user(second, "bob") == nullptr);

    auto bob = s.store->session(find_user(first, "bob")->id);
    REQUIRE(bob.has_value());
    CHECK(bob->closed_at == 1060);
    CHECK(bob->close_reason == "gone");
    CHECK(bob->last_seen == 1000);
}

TEST_CASE("a handle keeps its session across polls; a reused handle is a new checkout") {
    StoreOnTempFile s;
    s.record(make_snapshot("eng", 1000, {make_session("alice", "MATLAB", 900, "101")}));
    const int64_t id = s.store->open_sessions().at(0).id;
    s.record(make_snapshot("eng", 1060, {make_session("alice", "MATLAB", 900, "101")}));
    CHECK(s.store->open_sessions().at(0).id == id);

    s.record(make_snapshot("eng", 1120, {make_session("alice", "MATLAB", 1100, "101")}));
    auto open = s.store->open_sessions();
    REQUIRE(open.size() == 1);
    CHECK(open[0].id != id);
    CHECK(open[0].session.checkout_time == 1100);
    CHECK(s.store->session(id)->closed_at == 1120);
}

TEST_CASE("two checkouts that look the same are two sessions") {
    StoreOnTempFile s;
    s.record(make_snapshot(
        "eng", 1000, {make_session("alice", "MATLAB", 900), make_session("alice", "MATLAB", 900)}));
    auto both = s.store->open_sessions();
    REQUIRE(both.size() == 2);
    CHECK(both[0].identity != both[1].identity);

    s.record(make_snapshot("eng", 1060, {make_session("alice", "MATLAB", 900)}));
    auto one = s.store->open_sessions();
    REQUIRE(one.size() == 1);
    CHECK(one[0].id == both[0].id);
}

TEST_CASE("a failed poll keeps the sessions open and marks the server stale") {
    StoreOnTempFile s;
    PollSnapshot good = make_snapshot("eng", 1000, {make_session("alice", "MATLAB", 900)});
    good.features.push_back({"MLM", "MATLAB", "1.0", 10, 1, 0, 0, "31-dec-2030", 0, ""});
    s.record(good);
    CHECK(server_named(*s.store, "eng").state == ServerState::up);

    s.record(failed_snapshot("eng", 1060, "lmutil timed out after 20s"));
    ServerRecord eng = server_named(*s.store, "eng");
    CHECK(eng.state == ServerState::stale);
    CHECK(eng.error == "lmutil timed out after 20s");
    CHECK(eng.last_poll_time == 1060);
    CHECK(eng.last_ok_time == 1000);
    auto open = s.store->open_sessions();
    REQUIRE(open.size() == 1);
    CHECK(open[0].last_seen == 1000);
    REQUIRE(s.store->features().size() == 1);
    CHECK(s.store->features()[0].updated_at == 1000);

    s.record(make_snapshot("eng", 1120, {make_session("alice", "MATLAB", 900)}));
    eng = server_named(*s.store, "eng");
    CHECK(eng.state == ServerState::up);
    CHECK(eng.error.empty());
    CHECK(s.store->open_sessions().at(0).id == open[0].id);
}

TEST_CASE("a server that never polled well is down; so is one whose license servers are down") {
    StoreOnTempFile s;
    s.record(failed_snapshot("new", 1000, "lmutil: no such file"));
    ServerRecord fresh = server_named(*s.store, "new");
    CHECK(fresh.state == ServerState::down);
    CHECK_FALSE(fresh.last_ok_time.has_value());

    s.record(make_snapshot("eng", 1000, {make_session("alice", "MATLAB", 900)}));
    PollSnapshot all_down = make_snapshot("eng", 1060, {});
    all_down.servers = {{"lic1", State::down, false, "", "Cannot connect to license server"}};
    s.record(all_down);
    ServerRecord eng = server_named(*s.store, "eng");
    CHECK(eng.state == ServerState::stale);
    CHECK(eng.error == "lic1: Cannot connect to license server");
    CHECK(s.store->open_sessions().size() == 1);
}

TEST_CASE("features are replaced per server; an uncounted total stays unknown") {
    StoreOnTempFile s;
    PollSnapshot first = make_snapshot("eng", 1000, {});
    first.features.push_back({"MLM", "MATLAB", "1.0", 10, 4, 1, 2, "31-dec-2030", 0, ""});
    first.features.push_back({"MLM", "Simulink", "1.0", std::nullopt, 1, 0, 0, "permanent", 1, ""});
    s.record(first);
    PollSnapshot other = make_snapshot("cae", 1000, {});
    other.features.push_back({"lmx", "ABAQUS", "2024", 50, 5, 0, 0, "", 0, ""});
    s.record(other);

    auto eng = s.store->features(std::string("eng"));
    REQUIRE(eng.size() == 2);
    CHECK(eng[0].usage.name == "MATLAB");
    CHECK(eng[0].usage.total == 10);
    CHECK(eng[0].usage.reserved == 1);
    CHECK(eng[0].usage.queued == 2);
    CHECK(eng[1].usage.name == "Simulink");
    CHECK_FALSE(eng[1].usage.total.has_value());
    CHECK(eng[1].usage.flags == 1);

    PollSnapshot second = make_snapshot("eng", 1060, {});
    second.features.push_back({"MLM", "MATLAB", "1.0", 12, 7, 0, 0, "31-dec-2030", 0, ""});
    s.record(second);
    eng = s.store->features(std::string("eng"));
    REQUIRE(eng.size() == 1);
    CHECK(eng[0].usage.total == 12);
    CHECK(eng[0].updated_at == 1060);
    CHECK(s.store->features().size() == 2); // cae untouched
}

TEST_CASE("a feature listed twice in one poll adds up; uncounted stays uncounted") {
    StoreOnTempFile s;
    PollSnapshot poll = make_snapshot("eng", 1000, {});
    poll.features.push_back({"V", "feature42", "1.0", 1814, 169, 169, 0, "", 0, ""});
    poll.features.push_back({"V", "feature42", "1.0", 1814, 169, 169, 1, "", 0, ""});
    poll.features.push_back({"V", "SERIAL", "1.0", 5, 1, 0, 0, "", 0, ""});
    poll.features.push_back({"V", "SERIAL", "1.0", std::nullopt, 2, 0, 0, "", 1, ""});
    s.record(poll);
    const auto features = s.store->features(std::string("eng"));
    REQUIRE(features.size() == 2);
    const FeatureUsage& serial = features[0].usage;
    const FeatureUsage& f42 = features[1].usage;
    CHECK(f42.name == "feature42");
    CHECK(f42.total == 3628);
    CHECK(f42.used == 338);
    CHECK(f42.reserved == 338);
    CHECK(f42.queued == 1);
    CHECK(serial.name == "SERIAL");
    CHECK_FALSE(serial.total.has_value());
    CHECK(serial.used == 3);
    CHECK(serial.flags == 1);
}

TEST_CASE("vendors are stored per server; in a triad the one that is up counts") {
    StoreOnTempFile s;
    PollSnapshot triad = make_snapshot("eng", 1000, {});
    triad.vendors = {{"MLM", State::down, "", "lic2 unreachable"},
                     {"MLM", State::up, "v11.19", ""},
                     {"MLM", State::down, "", "lic3 unreachable"},
                     {"ARCGIS", State::down, "", "vendor daemon down"}};
    s.record(triad);
    ServerRecord eng = server_named(*s.store, "eng");
    CHECK(eng.adapter == "flexnet");
    CHECK(eng.address == "27000@lic1");
    CHECK(eng.latency_ms == 42);
    REQUIRE(eng.vendors.size() == 2);
    CHECK(eng.vendors[0].name == "ARCGIS");
    CHECK(eng.vendors[0].state == State::down);
    CHECK(eng.vendors[1].name == "MLM");
    CHECK(eng.vendors[1].state == State::up);
    CHECK(eng.vendors[1].version == "v11.19");
}

TEST_CASE("identical denials are kept once; skips keep only the last poll's") {
    StoreOnTempFile s;
    Denial denied{1,   "MLM", "MATLAB", "erin", "pc9", "Licensed number of users already reached",
                  990, 1};
    PollSnapshot first = make_snapshot("eng", 1000, {});
    first.denials = {denied, denied};
    first.skipped = {{7, "garbage line", "unrecognised"}, {9, "more garbage", "unrecognised"}};
    s.record(first);

    Denial later = denied;
    later.time = 1050;
    PollSnapshot second = make_snapshot("eng", 1060, {});
    second.denials = {denied, later};
    second.skipped = {{3, "odd line", "bad date"}};
    s.record(second);

    auto denials = s.store->denials(0, 10);
    REQUIRE(denials.size() == 2);
    CHECK(denials[0].denial.time == 1050); // newest first
    CHECK(denials[0].server == "eng");
    CHECK(denials[1].denial.reason == denied.reason);
    CHECK(s.store->denials(1000, 10).size() == 1);
    CHECK(s.store->denials(0, 1).size() == 1);

    auto skips = s.store->last_skips("eng");
    REQUIRE(skips.size() == 1);
    CHECK(skips[0].line == 3);
    CHECK(skips[0].text == "odd line");
    CHECK(skips[0].reason == "bad date");
    CHECK(s.store->last_skips("other").empty());
}

TEST_CASE("a session closed by the host stays closed") {
    StoreOnTempFile s;
    s.record(make_snapshot("eng", 1000, {make_session("alice", "MATLAB", 900)}));
    const int64_t id = s.store->open_sessions().at(0).id;

    CHECK(s.store->mark_session_closed(id, 1030, "harvested"));
    CHECK_FALSE(s.store->mark_session_closed(id, 1040, "again"));
    CHECK_FALSE(s.store->mark_session_closed(id + 100, 1040, "unknown"));
    auto closed = s.store->session(id);
    REQUIRE(closed.has_value());
    CHECK(closed->closed_at == 1030);
    CHECK(closed->close_reason == "harvested");
    CHECK(s.store->open_sessions().empty());
}

TEST_CASE("a poll that cannot be stored leaves nothing half-written") {
    StoreOnTempFile s;
    s.record(make_snapshot("eng", 1000, {make_session("alice", "MATLAB", 900)}));
    {
        // Make the next poll fail halfway, after it has inserted bob.
        SQLite::Database db(s.file, SQLite::OPEN_READWRITE);
        db.exec("CREATE TRIGGER refuse_carol BEFORE INSERT ON sessions WHEN NEW.user = 'carol' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    }
    CHECK_THROWS(s.record(make_snapshot(
        "eng", 1060,
        {make_session("bob", "MATLAB", 1000), make_session("carol", "MATLAB", 1000)})));
    auto open = s.store->open_sessions();
    REQUIRE(open.size() == 1);
    CHECK(open[0].session.user == "alice");
    CHECK(open[0].last_seen == 1000);
    CHECK(server_named(*s.store, "eng").last_poll_time == 1000);
}
