// Filtering open sessions, summing usage, and reading closed ones.
#include "store_fixture.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace lmharvest;

namespace {

std::set<std::string> users_of(const std::vector<SessionRecord>& sessions) {
    std::set<std::string> users;
    for (const SessionRecord& r : sessions)
        users.insert(r.session.user);
    return users;
}

Session with(Session s, std::string vendor, int64_t count, std::string host = "") {
    s.vendor = std::move(vendor);
    s.count = count;
    if (!host.empty())
        s.host = std::move(host);
    return s;
}

// eng: alice MATLAB x2 (MLM), alice Simulink, bob MATLAB on alice-pc, carol MATLAB under
// another vendor; cae: alice ABAQUS x5.
void record_two_servers(StoreOnTempFile& s) {
    s.record(make_snapshot("eng", 1000,
                           {with(make_session("alice", "MATLAB", 900), "MLM", 2),
                            with(make_session("alice", "Simulink", 900), "MLM", 1),
                            with(make_session("bob", "MATLAB", 910), "MLM", 1, "alice-pc"),
                            with(make_session("carol", "MATLAB", 920), "OTHER", 1)}));
    s.record(make_snapshot("cae", 1000, {with(make_session("alice", "ABAQUS", 930), "lmx", 5)}));
}

} // namespace

TEST_CASE("open sessions are filtered by every field that is set") {
    StoreOnTempFile s;
    record_two_servers(s);
    using Users = std::set<std::string>;

    CHECK(s.store->open_sessions().size() == 5);
    CHECK(s.store->open_sessions({.server = "cae"}).size() == 1);
    CHECK(users_of(s.store->open_sessions({.vendor = "OTHER"})) == Users{"carol"});
    CHECK(users_of(s.store->open_sessions({.feature = "MATLAB"})) ==
          Users{"alice", "bob", "carol"});
    CHECK(s.store->open_sessions({.user = "alice"}).size() == 3);
    CHECK(users_of(s.store->open_sessions({.host = "alice-pc"})) == Users{"alice", "bob"});
    CHECK(users_of(s.store->open_sessions({.users = std::vector<std::string>{"bob", "carol"}})) ==
          Users{"bob", "carol"});
    CHECK(s.store->open_sessions({.users = std::vector<std::string>{}}).empty());
    CHECK(s.store->open_sessions({.server = "eng", .feature = "MATLAB", .user = "alice"}).size() ==
          1);
    CHECK(s.store->open_sessions({.server = "cae", .feature = "MATLAB"}).empty());
}

TEST_CASE("usage sums open sessions and licenses per feature, and per feature and user") {
    StoreOnTempFile s;
    record_two_servers(s);
    // bob's session ends: it no longer counts.
    s.record(make_snapshot("eng", 1060,
                           {with(make_session("alice", "MATLAB", 900), "MLM", 2),
                            with(make_session("alice", "Simulink", 900), "MLM", 1),
                            with(make_session("bob", "MATLAB", 1050), "MLM", 3),
                            with(make_session("carol", "MATLAB", 920), "OTHER", 1)}));

    auto by_feature = s.store->usage_by_feature();
    REQUIRE(by_feature.size() == 4);
    CHECK(by_feature[0].server == "cae");
    CHECK(by_feature[0].licenses == 5);
    CHECK(by_feature[1].vendor == "MLM");
    CHECK(by_feature[1].feature == "MATLAB");
    CHECK(by_feature[1].sessions == 2);
    CHECK(by_feature[1].licenses == 5);
    CHECK(by_feature[1].user.empty());
    CHECK(by_feature[2].feature == "Simulink");
    CHECK(by_feature[3].vendor == "OTHER"); // the same name under another vendor is another feature
    CHECK(by_feature[3].licenses == 1);

    auto by_user = s.store->usage_by_feature_and_user();
    REQUIRE(by_user.size() == 5);
    CHECK(by_user[1].feature == "MATLAB");
    CHECK(by_user[1].user == "alice");
    CHECK(by_user[1].licenses == 2);
    CHECK(by_user[2].user == "bob");
    CHECK(by_user[2].sessions == 1);
    CHECK(by_user[2].licenses == 3);
}

TEST_CASE("history lists closed sessions in a time window, most recent first") {
    StoreOnTempFile s;
    s.record(make_snapshot("eng", 1000,
                           {make_session("a", "F", 900), make_session("b", "F", 900),
                            make_session("c", "F", 900), make_session("d", "F", 900)}));
    s.record(make_snapshot(
        "eng", 1100,
        {make_session("b", "F", 900), make_session("c", "F", 900), make_session("d", "F", 900)}));
    s.record(make_snapshot("eng", 1200, {make_session("d", "F", 900)}));
    const int64_t d_id = s.store->open_sessions().at(0).id;
    REQUIRE(s.store->mark_session_closed(d_id, 1300, "harvested"));

    auto all = s.store->session_history(0, 2000, 10);
    REQUIRE(all.size() == 4);
    CHECK(all[0].session.user == "d");
    CHECK(all[0].close_reason == "harvested");
    CHECK(all[1].closed_at == 1200);
    CHECK(all[3].session.user == "a");
    CHECK(all[3].closed_at == 1100);

    auto window = s.store->session_history(1100, 1300, 10); // until is exclusive
    CHECK(window.size() == 3);
    CHECK(window[0].closed_at == 1200);
    CHECK(s.store->session_history(0, 2000, 2).size() == 2);
    CHECK_FALSE(s.store->session(d_id + 1000).has_value());
}
