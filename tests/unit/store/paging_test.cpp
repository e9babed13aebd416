// Pages of open and closed sessions, actions and denials: sorting, cursors that stay stable
// under inserts, offsets, and errors that name the parameter.
#include "store_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

using namespace lmharvest;

namespace {

// Ten open sessions: users u0..u4, two each, checkout times spread.
void record_ten(StoreOnTempFile& s, int64_t time = 1000) {
    std::vector<Session> sessions;
    for (int i = 0; i < 10; ++i)
        sessions.push_back(
            make_session("u" + std::to_string(i % 5), "F" + std::to_string(i), 100 + i * 7 % 10));
    s.record(make_snapshot("eng", time, sessions));
}

// Every page of `page.limit` rows, following next_cursor, as (user, checkout_time, id).
std::vector<int64_t> ids_through_pages(const Store& store, PageRequest page) {
    std::vector<int64_t> ids;
    for (int pages = 0; pages < 100; ++pages) {
        const auto got = store.open_sessions({}, page);
        REQUIRE(got.has_value());
        for (const SessionRecord& r : got->rows)
            ids.push_back(r.id);
        if (!got->next_cursor)
            break;
        page.cursor = got->next_cursor;
    }
    return ids;
}

std::vector<int64_t> ids_sorted_by_user_then_newest(const std::vector<SessionRecord>& sessions) {
    auto sorted = sessions;
    std::sort(sorted.begin(), sorted.end(), [](const SessionRecord& a, const SessionRecord& b) {
        if (a.session.user != b.session.user)
            return a.session.user < b.session.user;
        if (a.session.checkout_time != b.session.checkout_time)
            return a.session.checkout_time > b.session.checkout_time;
        return a.id < b.id;
    });
    std::vector<int64_t> ids;
    for (const SessionRecord& r : sorted)
        ids.push_back(r.id);
    return ids;
}

} // namespace

TEST_CASE("pages follow the sort and their cursors walk the whole list once") {
    StoreOnTempFile s;
    record_ten(s);
    const std::vector<SortKey> sort = {{"user"}, {"checkout_time", true}};
    const auto expected = ids_sorted_by_user_then_newest(s.store->open_sessions());
    for (int64_t limit : {1, 3, 4, 10, 11}) {
        INFO("limit " << limit);
        CHECK(ids_through_pages(*s.store, {.limit = limit, .sort = sort}) == expected);
    }
    const auto all = s.store->open_sessions({}, {});
    REQUIRE(all.has_value());
    CHECK(all->rows.size() == 10);
    CHECK_FALSE(all->next_cursor.has_value());
    CHECK(all->rows.front().id < all->rows.back().id); // by id without a sort

    const auto offset = s.store->open_sessions({}, {.limit = 3, .sort = sort, .offset = 4});
    REQUIRE(offset.has_value());
    CHECK(std::vector<int64_t>{offset->rows[0].id, offset->rows[1].id, offset->rows[2].id} ==
          std::vector<int64_t>(expected.begin() + 4, expected.begin() + 7));
    const auto filtered = s.store->open_sessions({.user = "u1"}, {.limit = 1});
    REQUIRE(filtered.has_value());
    CHECK(filtered->rows.at(0).session.user == "u1");
    CHECK(filtered->next_cursor.has_value());
}

TEST_CASE("a cursor stays stable when sessions are added before and after it") {
    StoreOnTempFile s;
    record_ten(s);
    const std::vector<SortKey> sort = {{"user"}};
    const auto first = s.store->open_sessions({}, {.limit = 4, .sort = sort});
    REQUIRE(first.has_value());
    REQUIRE(first->next_cursor);
    std::set<int64_t> seen;
    for (const SessionRecord& r : first->rows)
        seen.insert(r.id);
    const std::string last_user = first->rows.back().session.user;

    // The next poll adds one session that sorts first ("a") and one that sorts last ("z").
    auto sessions = s.store->open_sessions();
    std::vector<Session> next;
    for (const SessionRecord& r : sessions)
        next.push_back(r.session);
    next.push_back(make_session("a", "F0", 100));
    next.push_back(make_session("z", "F0", 100));
    s.record(make_snapshot("eng", 1060, next));

    const auto rest = s.store->open_sessions({}, {.sort = sort, .cursor = first->next_cursor});
    REQUIRE(rest.has_value());
    std::vector<std::string> users;
    for (const SessionRecord& r : rest->rows) {
        CHECK(seen.count(r.id) == 0); // nothing of the first page again
        CHECK(r.session.user >= last_user);
        users.push_back(r.session.user);
    }
    CHECK(rest->rows.size() == 10 - 4 + 1); // the old rest and "z", not "a"
    CHECK(users.back() == "z");
}

TEST_CASE("bad sorts and cursors are errors naming the parameter") {
    StoreOnTempFile s;
    record_ten(s);
    auto error_of = [&](const PageRequest& page) {
        const auto got = s.store->open_sessions({}, page);
        REQUIRE_FALSE(got.has_value());
        return got.error();
    };
    CHECK_THAT(error_of({.sort = {{"nope"}}}),
               Catch::StartsWith("sort: 'nope' is not a column to sort by; use one of id, "
                                 "server"));
    CHECK_THAT(error_of({.sort = {{"user"}, {"user", true}}}),
               Catch::StartsWith("sort: 'user' is named twice"));
    CHECK_THAT(error_of({.cursor = "garbage"}), Catch::StartsWith("cursor: 'garbage' is not"));
    const auto page = s.store->open_sessions({}, {.limit = 2, .sort = {{"user"}}});
    REQUIRE(page.has_value());
    REQUIRE(page->next_cursor);
    // A cursor of another sort would start in the wrong place: refused.
    CHECK_THAT(error_of({.sort = {{"host"}}, .cursor = page->next_cursor}),
               Catch::StartsWith("cursor: "));
    // Closed sessions are not sorted by host_ip; open ones are.
    CHECK_FALSE(s.store->closed_sessions({}, {.sort = {{"host_ip"}}}).has_value());
    CHECK(s.store->open_sessions({}, {.sort = {{"host_ip"}}}).has_value());
}

TEST_CASE("closed sessions are listed newest closed first with their duration, filtered") {
    StoreOnTempFile s;
    record_ten(s, 1000);
    s.record(make_snapshot("eng", 1500, {})); // all ten close at 1500
    s.record(make_snapshot("eng", 2000, {make_session("u9", "F0", 1900)}));
    s.record(make_snapshot("eng", 2600, {})); // u9 closes at 2600 after 600 s

    const auto all = s.store->closed_sessions({}, {});
    REQUIRE(all.has_value());
    REQUIRE(all->rows.size() == 11);
    CHECK(all->rows[0].session.user == "u9");
    CHECK(all->rows[0].closed_at == 2600);
    CHECK(all->rows[1].closed_at == 1500);
    CHECK(s.store->open_sessions().empty());

    const auto window = s.store->closed_sessions({.from = 1000, .to = 2000}, {});
    REQUIRE(window.has_value());
    CHECK(window->rows.size() == 10);
    const auto user = s.store->closed_sessions({.sessions = {.user = "u1"}}, {});
    REQUIRE(user.has_value());
    CHECK(user->rows.size() == 2);
    const auto longest = s.store->closed_sessions({}, {.limit = 1, .sort = {{"duration", true}}});
    REQUIRE(longest.has_value());
    CHECK(longest->rows.at(0).session.user == "u9");
    CHECK(longest->next_cursor.has_value());
}

TEST_CASE("actions and denials page newest first by default") {
    StoreOnTempFile s;
    for (int i = 0; i < 5; ++i) {
        Action action;
        action.time = 100 + i;
        action.actor = "harvester";
        action.kind = "close";
        action.user = "u" + std::to_string(i);
        s.store->append_action(action);
    }
    const auto page = s.store->actions(PageRequest{.limit = 2});
    REQUIRE(page.has_value());
    CHECK(page->rows.at(0).id == 5);
    CHECK(page->rows.at(1).id == 4);
    REQUIRE(page->next_cursor);
    const auto next = s.store->actions(PageRequest{.limit = 10, .cursor = page->next_cursor});
    REQUIRE(next.has_value());
    CHECK(next->rows.size() == 3);
    CHECK(next->rows.at(0).id == 3);
    CHECK(s.store->actions(10).size() == 5);
    const auto by_user = s.store->actions(PageRequest{.sort = {{"user"}}});
    REQUIRE(by_user.has_value());
    CHECK(by_user->rows.at(0).user == "u0");
    CHECK_FALSE(s.store->denials(0, PageRequest{.sort = {{"reason"}}}).has_value());
}
