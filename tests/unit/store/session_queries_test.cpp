// Filtering open sessions, summing usage, and reading closed ones.
#include "query_plan.hpp"
#include "store/session_filter_sql.hpp"
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
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

// Every open session of `group`, page after page of `limit`, as the API pages them.
std::vector<int64_t> ids_paged(StoreOnTempFile& s, const SessionFilter& group, int64_t limit) {
    std::vector<int64_t> ids;
    PageRequest page{.limit = limit};
    for (;;) {
        auto got = s.store->open_sessions(group, page);
        REQUIRE(got);
        for (const SessionRecord& r : got->rows)
            ids.push_back(r.id);
        if (!got->next_cursor)
            return ids;
        page.cursor = got->next_cursor;
    }
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

TEST_CASE("a user's open sessions come from the open-user index in id order, with no sort") {
    StoreOnTempFile s;
    record_two_servers(s);
    SQLite::Database db(s.file);
    // The shape the store builds for ?user= (session_queries.cpp: open_filter, ORDER BY id).
    const std::string steps =
        query_plan(db, "SELECT id FROM sessions WHERE closed_at IS NULL AND user = ? ORDER BY id");
    CHECK(steps.find("USING INDEX sessions_open_user (user=?)") != std::string::npos);
    CHECK(steps.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("a group's open sessions come in id order through an index, with no sort") {
    StoreOnTempFile s;
    record_two_servers(s);
    SQLite::Database db(s.file);
    const SessionFilter group{.users = std::vector<std::string>{"alice", "bob", "carol"}};
    // The WHERE the store builds for ?group= in id order (a page, and the page after a cursor).
    const std::string where = sql::open_filter(group, true).where;
    for (const std::string& rest : {std::string(" ORDER BY id LIMIT ? OFFSET ?"),
                                    std::string(" AND ((id > ?)) ORDER BY id LIMIT ? OFFSET ?")}) {
        const std::string steps = query_plan(db, "SELECT * FROM sessions " + where + rest);
        INFO(steps);
        CHECK(steps.find("USING INDEX sessions_open_id_user") != std::string::npos);
        CHECK(steps.find("TEMP B-TREE") == std::string::npos);
    }
    // And the rows are the members', in id order, page after page.
    const std::vector<int64_t> ids = ids_paged(s, group, 1);
    CHECK(ids.size() == 5); // alice 3, bob, carol
    CHECK(std::is_sorted(ids.begin(), ids.end()));
}

TEST_CASE("the text filter matches any text column, ignoring the case of ASCII letters") {
    StoreOnTempFile s;
    record_two_servers(s);
    using Users = std::set<std::string>;
    CHECK(users_of(s.store->open_sessions({.text = "matLAB"})) == Users{"alice", "bob", "carol"});
    CHECK(users_of(s.store->open_sessions({.text = "ALICE-PC"})) == Users{"alice", "bob"});
    CHECK(s.store->open_sessions({.text = "cae"}).size() == 1); // the server's name
    CHECK(s.store->open_sessions({.text = "%"}).empty());       // no wildcard
    CHECK(users_of(s.store->open_sessions({.user = "alice", .text = "simu"})) == Users{"alice"});
    CHECK(s.store->open_session_count({.text = "matlab"}) == 3);
    CHECK(s.store->open_session_count({.user = "alice", .text = "simu"}) == 1);
}

TEST_CASE("the session summary sums per user, feature, or feature and user, paged") {
    StoreOnTempFile s;
    record_two_servers(s);
    auto all = s.store->session_summary({}, SummaryBy::all, {});
    REQUIRE(all);
    REQUIRE(all->rows.size() == 1);
    CHECK(all->rows[0].sessions == 5);
    CHECK(all->rows[0].licenses == 10);

    auto by_feature = s.store->session_summary({.user = "alice"}, SummaryBy::feature, {});
    REQUIRE(by_feature);
    REQUIRE(by_feature->rows.size() == 3); // cae/ABAQUS, eng/MATLAB, eng/Simulink
    CHECK(by_feature->rows[0].server == "cae");
    CHECK(by_feature->rows[0].licenses == 5);
    CHECK(by_feature->rows[0].user.empty());
    CHECK(s.store->session_summary_size({.user = "alice"}, SummaryBy::feature) == 3);

    // Per feature and user, most licenses first, one row a page through the cursors.
    std::vector<std::string> seen;
    PageRequest page{.limit = 1, .sort = {{"licenses", true}}};
    for (;;) {
        auto got = s.store->session_summary({}, SummaryBy::feature_user, page);
        REQUIRE(got);
        for (const FeatureUse& use : got->rows)
            seen.push_back(use.feature + "/" + use.user + "=" + std::to_string(use.licenses));
        if (!got->next_cursor)
            break;
        page.cursor = got->next_cursor;
    }
    CHECK(seen == std::vector<std::string>{"ABAQUS/alice=5", "MATLAB/alice=2", "MATLAB/bob=1",
                                           "Simulink/alice=1", "MATLAB/carol=1"});
    CHECK(s.store->session_summary_size({}, SummaryBy::user) == 3);
    auto offset = s.store->session_summary({}, SummaryBy::user, {.limit = 1, .offset = 2});
    REQUIRE(offset);
    REQUIRE(offset->rows.size() == 1);
    CHECK(offset->rows[0].user == "carol");
    CHECK_FALSE(s.store->session_summary({}, SummaryBy::user, {.sort = {{"nope"}}}));
}

// A group holding many sessions is walked in id order, a small one read through its members'
// index and sorted (walk_group_from): either way the same rows in the same order.
TEST_CASE("a large group and a small one page the same way: all their rows, in id order") {
    StoreOnTempFile s;
    std::vector<Session> sessions;
    for (int i = 0; i < 12000; ++i) {
        const std::string user = i % 2 == 0     ? (i % 4 == 0 ? "big1" : "big2")
                                 : i % 150 == 1 ? "small"
                                                : "other" + std::to_string(i % 97);
        sessions.push_back(make_session(user, "MATLAB", 900, "h" + std::to_string(i)));
    }
    s.record(make_snapshot("eng", 1000, sessions));
    const std::vector<SessionRecord> all = s.store->open_sessions();
    const auto expected = [&](const std::set<std::string>& users) {
        std::vector<int64_t> ids;
        for (const SessionRecord& r : all)
            if (users.count(r.session.user))
                ids.push_back(r.id);
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    const SessionFilter big{.users = std::vector<std::string>{"big1", "big2"}};
    const SessionFilter small{.users = std::vector<std::string>{"small", "nobody"}};
    const std::vector<int64_t> big_ids = expected({"big1", "big2"});
    const std::vector<int64_t> small_ids = expected({"small"});
    REQUIRE(big_ids.size() == 6000);
    REQUIRE(small_ids.size() == 80);
    CHECK(ids_paged(s, big, 100) == big_ids);
    CHECK(ids_paged(s, small, 7) == small_ids);
    CHECK(s.store->open_session_count(big) == 6000);
    CHECK(s.store->open_session_count(small) == 80);
}
