// The harvest plan in the store: replaced whole per server as the API reads it, written as the
// difference to the plan before (counted here by triggers an outside connection adds, as
// sqlite3 could), read through its index, and carried over from files of the release before.
#include "query_plan.hpp"
#include "store/migrations.hpp"
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

PlanEntry entry(std::string server, std::string feature, int64_t id, bool close,
                int64_t time = 2000) {
    PlanEntry e;
    e.server = std::move(server);
    e.time = time;
    e.vendor = "MLM";
    e.feature = std::move(feature);
    e.version = "1.0";
    e.total = 10;
    e.used = 10;
    e.target = 8;
    e.waiting = 3;
    e.session_id = id;
    e.user = "u" + std::to_string(id);
    e.host = "pc";
    e.count = 2;
    e.close = close;
    e.reason = close ? "idle 47 min > 20 min, used 10 > target 8" : "no activity data";
    e.idle_s = close ? std::optional<int64_t>(2820) : std::nullopt;
    e.rule_index = close ? std::optional<int64_t>(1) : std::nullopt;
    e.method = "save_and_close";
    e.on_no_handler = "skip";
    return e;
}

// The writes to harvest_plans rows, counted by triggers on the file itself.
class PlanRowWrites {
public:
    explicit PlanRowWrites(const std::filesystem::path& file) : db_(file, SQLite::OPEN_READWRITE) {
        db_.exec(R"sql(
CREATE TABLE plan_row_writes (kind TEXT NOT NULL);
CREATE TRIGGER count_plan_insert AFTER INSERT ON harvest_plans
BEGIN INSERT INTO plan_row_writes VALUES ('insert'); END;
CREATE TRIGGER count_plan_update AFTER UPDATE ON harvest_plans
BEGIN INSERT INTO plan_row_writes VALUES ('update'); END;
CREATE TRIGGER count_plan_delete AFTER DELETE ON harvest_plans
BEGIN INSERT INTO plan_row_writes VALUES ('delete'); END;
)sql");
    }
    /// The writes of `kind` since the last take(), and forgets them.
    int take(const std::string& kind) {
        SQLite::Statement count(db_, "SELECT count(*) FROM plan_row_writes WHERE kind = ?");
        count.bind(1, kind);
        count.executeStep();
        const int n = count.getColumn(0).getInt();
        db_.exec("DELETE FROM plan_row_writes WHERE kind = '" + kind + "'");
        return n;
    }

private:
    SQLite::Database db_;
};

std::vector<int64_t> session_ids(const std::vector<PlanEntry>& plan) {
    std::vector<int64_t> ids;
    for (const PlanEntry& e : plan)
        ids.push_back(e.session_id);
    return ids;
}

} // namespace

TEST_CASE("a harvest plan is replaced per server and read back in order, filtered") {
    StoreOnTempFile s;
    s.store->replace_harvest_plan(
        "a", {entry("a", "MATLAB", 3, true), entry("a", "SIMULINK", 1, false)});
    s.store->replace_harvest_plan("b", {entry("b", "MATLAB", 9, false)});
    s.store->replace_harvest_plan("a",
                                  {entry("a", "MATLAB", 5, true), entry("a", "MATLAB", 4, false)});

    const auto a = s.store->harvest_plan("a");
    REQUIRE(a.size() == 2);
    CHECK(a[0].session_id == 5); // the order given, not by id
    CHECK(a[0].close);
    CHECK(a[0].reason == "idle 47 min > 20 min, used 10 > target 8");
    CHECK(a[0].idle_s == 2820);
    CHECK(a[0].rule_index == 1);
    CHECK(a[0].total == 10);
    CHECK(a[0].target == 8);
    CHECK(a[0].waiting == 3);
    CHECK(a[0].count == 2);
    CHECK(a[1].session_id == 4);
    CHECK_FALSE(a[1].close);
    CHECK_FALSE(a[1].idle_s.has_value());
    CHECK(a ==
          std::vector<PlanEntry>{entry("a", "MATLAB", 5, true), entry("a", "MATLAB", 4, false)});
    CHECK(s.store->harvest_plan().size() == 3);
    CHECK(s.store->harvest_plan({}, std::string("MATLAB")).size() == 3);
    CHECK(s.store->harvest_plan(std::string("b"), std::string("SIMULINK")).empty());
}

TEST_CASE("a plan is written as its difference to the plan before, which it returns") {
    StoreOnTempFile s;
    PlanRowWrites writes(s.file);
    const std::vector<PlanEntry> first = {entry("a", "MATLAB", 3, true, 1000),
                                          entry("a", "MATLAB", 4, false, 1000),
                                          entry("a", "SIMULINK", 5, false, 1000)};
    CHECK(s.store->replace_harvest_plan("a", first).empty());
    CHECK(writes.take("insert") == 3);

    // The next poll decided the same: only the plan's time moves, no row is written.
    std::vector<PlanEntry> same = first;
    for (PlanEntry& e : same)
        e.time = 1060;
    CHECK(s.store->replace_harvest_plan("a", same) == first);
    CHECK(writes.take("insert") + writes.take("update") + writes.take("delete") == 0);
    CHECK(s.store->harvest_plan("a") == same);

    // One session's figures changed: one row.
    std::vector<PlanEntry> one_changed = same;
    for (PlanEntry& e : one_changed)
        e.time = 1120;
    one_changed[1].idle_s = 600;
    one_changed[1].reason = "idle 10 min < 20 min";
    CHECK(s.store->replace_harvest_plan("a", one_changed) == same);
    CHECK(writes.take("update") == 1);
    CHECK(writes.take("insert") + writes.take("delete") == 0);
    CHECK(s.store->harvest_plan("a") == one_changed);

    // A session ended, one began elsewhere in the order: rows move, none is left over.
    std::vector<PlanEntry> shifted = {entry("a", "MATLAB", 4, false, 1180),
                                      entry("a", "SIMULINK", 5, false, 1180)};
    s.store->replace_harvest_plan("a", shifted);
    CHECK(writes.take("delete") == 1);
    CHECK(s.store->harvest_plan("a") == shifted);
    shifted.insert(shifted.begin(), entry("a", "MATLAB", 6, true, 1240));
    for (PlanEntry& e : shifted)
        e.time = 1240;
    s.store->replace_harvest_plan("a", shifted);
    CHECK(writes.take("insert") == 1);
    CHECK(s.store->harvest_plan("a") == shifted);
    CHECK(session_ids(s.store->harvest_plan("a")) == std::vector<int64_t>{6, 4, 5});

    // Another server's plan is its own; an empty plan leaves nothing behind.
    s.store->replace_harvest_plan("b", {entry("b", "MATLAB", 9, false, 1250)});
    CHECK(s.store->replace_harvest_plan("a", {}) == shifted);
    CHECK(s.store->harvest_plan("a").empty());
    CHECK(session_ids(s.store->harvest_plan()) == std::vector<int64_t>{9});
    SQLite::Database db(s.file);
    CHECK(db.execAndGet("SELECT count(*) FROM harvest_plan_times WHERE server = 'a'").getInt() ==
          0);
}

TEST_CASE("a plan whose time an outside writer deleted is overwritten, not doubled") {
    StoreOnTempFile s;
    s.store->replace_harvest_plan(
        "a", {entry("a", "MATLAB", 3, true, 1000), entry("a", "MATLAB", 4, false, 1000)});
    {
        SQLite::Database db(s.file, SQLite::OPEN_READWRITE);
        db.exec("DELETE FROM harvest_plan_times");
    }
    const std::vector<PlanEntry> next = {entry("a", "MATLAB", 5, true, 1060),
                                         entry("a", "MATLAB", 6, false, 1060),
                                         entry("a", "SIMULINK", 7, false, 1060)};
    CHECK(session_ids(s.store->replace_harvest_plan("a", next)) == std::vector<int64_t>{3, 4});
    CHECK(s.store->harvest_plan("a") == next);
    SQLite::Database db(s.file);
    CHECK(db.execAndGet("SELECT count(*) FROM harvest_plans").getInt() == 3);
}

TEST_CASE("a server's harvest plan is read through its index, not a scan of every plan") {
    StoreOnTempFile s;
    SQLite::Database db(s.file);
    // The shape harvest_plans.cpp builds when a server is asked (the planner, after each poll).
    const std::string steps = query_plan(
        db,
        "SELECT p.server, t.time, p.* FROM harvest_plans p LEFT JOIN harvest_plan_times t "
        "ON t.server = p.server WHERE p.server = ?1 AND (?2 IS NULL OR "
        "p.feature = ?2) ORDER BY p.server, p.position",
        "eng");
    INFO(steps);
    CHECK(steps.find("USING INDEX harvest_plans_server (server=?)") != std::string::npos);
    CHECK(steps.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("an older file's plans keep their time when migration 12 moves it out of the rows") {
    TempDir dir;
    const auto file = dir.path() / "state.db";
    {
        SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        REQUIRE(migrate(db, 11));
        db.exec(R"sql(
INSERT INTO harvest_plans (server, time, vendor, feature, version, total, used, target, waiting,
    session_id, user, host, count, decision, reason, idle_s, rule_index, method, on_no_handler,
    next_try, position)
VALUES ('eng', 1717243200, 'MLM', 'MATLAB', '1.0', 10, 9, 8, 0, 7, 'alice', 'pc1', 1, 'close',
        'idle 47 min > 20 min', 2820, NULL, 'save_and_close', 'skip', NULL, 0),
       ('eng', 1717243200, 'MLM', 'MATLAB', '1.0', 10, 9, 8, 0, 8, 'bob', 'pc2', 1, 'keep',
        'no activity data', NULL, NULL, 'save_and_close', 'skip', NULL, 1);
)sql");
    }
    auto store = Store::open(file);
    REQUIRE(store);
    const auto plan = (*store)->harvest_plan("eng");
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].time == 1717243200);
    CHECK(plan[1].time == 1717243200);
    CHECK(plan[0].user == "alice");
    CHECK(plan[1].reason == "no activity data");
    SQLite::Database db(file);
    CHECK_FALSE(db.execAndGet("SELECT count(*) FROM pragma_table_info('harvest_plans') "
                              "WHERE name = 'time'")
                    .getInt());
}
