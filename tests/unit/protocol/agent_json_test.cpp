// The agent protocol's messages: every field checked with its path in the error, writers that
// the parsers read back, and mangled bodies that never throw and always name a field.
#include "protocol/agent_json.hpp"

#include <catch2/catch.hpp>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

using namespace lmharvest;
using json = nlohmann::json;

namespace {

json report_json() {
    json app = {{"app", "matlab"},
                {"pid", 4242},
                {"executable", "/usr/local/MATLAB/R2024b/bin/glnxa64/MATLAB"},
                {"features", {"MATLAB", "Signal_Toolbox"}},
                {"focus_idle_s", 1500},
                {"cpu_percent", 0.4},
                {"busy", false},
                {"handler", "matlab"},
                {"methods", {"save_and_close", "suspend", "release", "notify"}}};
    json other = app;
    other["app"] = "abaqus";
    other["pid"] = 5000;
    other["focus_idle_s"] = nullptr;
    json third = app;
    third["pid"] = 4243;
    return {{"agent", "ws-031.corp:1000"},
            {"host", "ws-031.corp"},
            {"user", "jberg"},
            {"display", ":0"},
            {"time", "2026-12-01T19:40:00+01:00"},
            {"input_idle_s", 1234},
            {"apps", {app, other, third}}};
}

// Epoch seconds of a UTC time, computed apart from the parser.
int64_t utc(int year, int month, int day, int hour, int minute, int second) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return timegm(&tm);
}

std::string report_error(const json& body) {
    const auto parsed = parse_report(body.dump());
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error().text();
}

json result_json() {
    return {{"command", 17},
            {"outcome", "saved_and_closed"},
            {"projects",
             {{{"app", "MATLAB R2024b"},
               {"path", "/home/j/a.m"},
               {"saved_time", "2026-12-01T18:41:02.5Z"}}}},
            {"message", "saved 1 project"}};
}

} // namespace

TEST_CASE("protocol: a whole report is read field by field") {
    const auto report = parse_report(report_json().dump());
    REQUIRE(report.has_value());
    CHECK(report->agent == "ws-031.corp:1000");
    CHECK(report->host == "ws-031.corp");
    CHECK(report->user == "jberg");
    CHECK(report->display == ":0");
    CHECK(report->time == utc(2026, 12, 1, 18, 40, 0)); // 19:40 at +01:00
    CHECK(report->input_idle_s == 1234);
    REQUIRE(report->apps.size() == 3);
    const ReportedApp& matlab = report->apps[0];
    CHECK(matlab.app == "matlab");
    CHECK(matlab.pid == 4242);
    CHECK(matlab.executable == "/usr/local/MATLAB/R2024b/bin/glnxa64/MATLAB");
    CHECK(matlab.features == std::vector<std::string>{"MATLAB", "Signal_Toolbox"});
    CHECK(matlab.focus_idle_s == 1500);
    CHECK(matlab.cpu_percent == Approx(0.4));
    CHECK_FALSE(matlab.busy);
    CHECK(matlab.handler == "matlab");
    CHECK(matlab.methods.size() == 4);
    CHECK_FALSE(report->apps[1].focus_idle_s.has_value()); // null: unknown
}

TEST_CASE("protocol: optional fields may be absent, unknown fields are ignored") {
    json body = report_json();
    body.erase("display");
    body.erase("input_idle_s");
    body["apps"][0].erase("executable");
    body["apps"][0].erase("handler");
    body["apps"][0].erase("methods");
    body["future_field"] = {{"anything", 1}};
    body["apps"][1]["gpu_percent"] = 12;
    const auto report = parse_report(body.dump());
    REQUIRE(report.has_value());
    CHECK(report->display.empty());
    CHECK_FALSE(report->input_idle_s.has_value());
    CHECK(report->apps[0].methods.empty());
}

TEST_CASE("protocol: each malformed report field is named with its path") {
    const auto with = [](const char* pointer, json value) {
        json body = report_json();
        body[json::json_pointer(pointer)] = std::move(value);
        return body;
    };
    CHECK(report_error(with("/apps/2/cpu_percent", 6401)) ==
          "apps[2].cpu_percent: must be a number from 0 to 6400");
    CHECK(report_error(with("/apps/2/cpu_percent", "low")) ==
          "apps[2].cpu_percent: must be a number from 0 to 6400");
    CHECK(report_error(with("/apps/0/pid", 0)) ==
          "apps[0].pid: must be a whole number from 1 to 2147483647");
    CHECK(report_error(with("/apps/0/pid", 12.5)) ==
          "apps[0].pid: must be a whole number from 1 to 2147483647");
    CHECK(report_error(with("/apps/0/pid", 18446744073709551615ULL)) ==
          "apps[0].pid: must be a whole number from 1 to 2147483647");
    CHECK_THAT(report_error(with("/apps/1/focus_idle_s", -1)),
               Catch::StartsWith("apps[1].focus_idle_s: must be a whole number from 0 to"));
    CHECK_THAT(report_error(with("/apps/1/focus_idle_s", "1500")),
               Catch::StartsWith("apps[1].focus_idle_s: must be null or a whole number"));
    CHECK(report_error(with("/apps/0/busy", 0)) == "apps[0].busy: must be true or false");
    CHECK(report_error(with("/apps/0/methods/1", "hibernate")) ==
          "apps[0].methods[1]: must be one of save_and_close | suspend | release | notify");
    CHECK(report_error(with("/apps/0/features/1", "")) ==
          "apps[0].features[1]: must be a string of 1 to 128 bytes");
    CHECK(report_error(with("/apps/0/features/0", "MAT\nLAB")) ==
          "apps[0].features[0]: must not hold control characters");
    CHECK(report_error(with("/apps/0/features", "MATLAB")) ==
          "apps[0].features: must be an array of at most 64 items");
    CHECK(report_error(with("/apps/0/app", std::string(129, 'a'))) ==
          "apps[0].app: must be a string of 1 to 128 bytes");
    CHECK(report_error(with("/host", "ws 031")) ==
          "host: must be a string of 1 to 253 bytes of A-Z a-z 0-9 . _ -");
    CHECK_THAT(report_error(with("/agent", "ws-031.corp")),
               Catch::StartsWith("agent: must be <host>:<uid>"));
    CHECK_THAT(report_error(with("/time", "2026-12-01T18:40:00")),
               Catch::StartsWith("time: must be an ISO 8601 time with seconds and a zone"));
    CHECK_THAT(report_error(with("/time", "2026-02-30T18:40:00Z")),
               Catch::StartsWith("time: must be"));
    CHECK(report_error(with("/time", "1970-01-01T00:00:00Z")) ==
          "time: must be a time from 2000 to 2100");
    CHECK(report_error(with("/apps/1", "abaqus")) == "apps[1]: must be an object");
    CHECK(report_error(with("/apps/2/pid", 4242)) ==
          "apps[2]: app matlab pid 4242 is listed already as apps[0]");

    json missing = report_json();
    missing["apps"][1].erase("cpu_percent");
    CHECK(report_error(missing) == "apps[1].cpu_percent: is missing");
    json no_user = report_json();
    no_user.erase("user");
    CHECK(report_error(no_user) == "user: is missing");
    json many = report_json();
    many["apps"] = json::array();
    for (int i = 0; i < 257; ++i)
        many["apps"].push_back(report_json()["apps"][0]);
    CHECK(report_error(many) == "apps: must be an array of at most 256 items");
}

TEST_CASE("protocol: bodies that are not a JSON object") {
    const auto error_of = [](std::string_view body) {
        const auto parsed = parse_report(body);
        REQUIRE_FALSE(parsed.has_value());
        return parsed.error().text();
    };
    CHECK(error_of("") == "(body): not JSON");
    CHECK(error_of("{\"agent\":") == "(body): not JSON");
    CHECK(error_of("[1,2]") == "(body): must be a JSON object");
    CHECK(error_of("{\"user\": \"j\xff\"}") == "(body): not UTF-8 (byte 11)");
    CHECK(error_of(std::string(1000, '[') + std::string(1000, ']')) ==
          "(body): nested deeper than 6 levels");
}

TEST_CASE("protocol: writers are read back by the parsers") {
    const auto report = parse_report(report_json().dump());
    REQUIRE(report.has_value());
    const auto again = parse_report(to_json(*report));
    REQUIRE(again.has_value());
    CHECK(to_json(*again) == to_json(*report));
    CHECK(again->time == report->time);

    CommandsAnswer answer;
    AgentCommand command;
    command.id = 17;
    command.kind = "save_and_close";
    command.app = "matlab";
    command.pid = 4242;
    command.features = {"MATLAB"};
    command.session_ids = {812};
    command.reason = "idle 47 min, MATLAB 10 of 10 in use";
    command.text = "MATLAB is saved and closed";
    answer.commands = {command};
    answer.next_poll_s = 10;
    const auto commands = parse_commands_answer(to_json(answer));
    REQUIRE(commands.has_value());
    REQUIRE(commands->commands.size() == 1);
    CHECK(commands->commands[0].id == 17);
    CHECK(commands->commands[0].session_ids == std::vector<int64_t>{812});
    CHECK(commands->commands[0].reason == command.reason);
    CHECK(commands->next_poll_s == 10);

    const auto result = parse_result(result_json().dump());
    REQUIRE(result.has_value());
    CHECK(result->command == 17);
    REQUIRE(result->projects.size() == 1);
    CHECK(result->projects[0].saved_time == utc(2026, 12, 1, 18, 41, 2)); // fraction dropped
    const auto result_again = parse_result(to_json(*result));
    REQUIRE(result_again.has_value());
    CHECK(result_again->projects[0].path == "/home/j/a.m");

    const auto every = parse_report_answer(to_json(ReportAnswer{45}));
    REQUIRE(every.has_value());
    CHECK(every->report_every_s == 45);
}

TEST_CASE("protocol: a malformed result or command names the field") {
    json result = result_json();
    result["outcome"] = "done";
    auto parsed = parse_result(result.dump());
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().text() == "outcome: must be one of saved_and_closed | suspended | "
                                   "resumed | notified | failed | app_gone | refused");
    result = result_json();
    result["projects"][0]["saved_time"] = "yesterday";
    parsed = parse_result(result.dump());
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().field == "projects[0].saved_time");
    result = result_json();
    result["command"] = 0;
    parsed = parse_result(result.dump());
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().field == "command");

    const auto commands =
        parse_commands_answer(R"({"commands": [{"id": 3, "kind": "reboot"}], "next_poll_s": 0})");
    REQUIRE_FALSE(commands.has_value());
    CHECK(commands.error().field == "commands[0].kind");
}

TEST_CASE("protocol: agent ids") {
    CHECK(check_agent_id("ws-031.corp:1000", "agent").has_value());
    CHECK(check_agent_id("WS-031:S-1-5-21-1004", "agent").has_value());
    for (const char* bad : {"", ":1000", "ws-031:", "ws-031", "ws/031:1000", "ws:10:00", "ws 1:1"})
        CHECK_FALSE(check_agent_id(bad, "agent").has_value());
    CHECK(agent_id_host("ws-031.corp:1000") == "ws-031.corp");
}

TEST_CASE("protocol: mangled bodies never throw and always name a field") {
    const std::string good = report_json().dump();
    const std::string result_good = result_json().dump();
    std::mt19937 random(12);
    int refused = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string body = round % 2 ? good : result_good;
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits && !body.empty(); ++e) {
            const std::size_t at = random() % body.size();
            switch (random() % 4) {
            case 0:
                body.erase(at, 1 + random() % 8);
                break;
            case 1:
                body.insert(at, 1, "{}[]\",:0-e.\\\xff\x01 n"[random() % 17]);
                break;
            case 2:
                body[at] = static_cast<char>(random() % 256);
                break;
            case 3:
                body.resize(at);
                break;
            }
        }
        INFO(body);
        Expected<bool, FieldError> outcome = true;
        REQUIRE_NOTHROW([&] {
            if (round % 2) {
                auto r = parse_report(body);
                outcome = r ? Expected<bool, FieldError>(true) : unexpected(r.error());
            } else {
                auto r = parse_result(body);
                outcome = r ? Expected<bool, FieldError>(true) : unexpected(r.error());
            }
        }());
        if (!outcome) {
            ++refused;
            CHECK_FALSE(outcome.error().field.empty());
            CHECK_FALSE(outcome.error().problem.empty());
        }
    }
    CHECK(refused > 1000); // most mangling breaks something
}

TEST_CASE("protocol: the agent's own resume goes without a command and names what it resumed") {
    ResultMessage own;
    own.outcome = "resumed";
    own.pid = 4242;
    own.app = "matlab";
    own.features = {"MATLAB", "Signal_Toolbox"};
    own.follows = 17;
    own.message = "the user clicked Resume; a license was free";
    const json sent = json::parse(to_json(own));
    CHECK_FALSE(sent.contains("command"));
    CHECK(sent.at("follows") == 17);
    const auto parsed = parse_result(sent.dump());
    REQUIRE(parsed.has_value());
    CHECK(parsed->command == 0);
    CHECK(parsed->pid == 4242);
    CHECK(parsed->app == "matlab");
    CHECK(parsed->features == own.features);
    CHECK(parsed->follows == 17);
    own.follows = 0; // a resume the agent knows no suspend command of
    const auto unknown = parse_result(to_json(own));
    REQUIRE(unknown.has_value());
    CHECK(unknown->follows == 0);

    json other = sent;
    other["outcome"] = "suspended"; // only a resume may come unasked
    auto refused = parse_result(other.dump());
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().text() ==
          "command: is missing (only the agent's own resumed goes without one)");
    other = sent;
    other.erase("pid");
    refused = parse_result(other.dump());
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().field == "pid");
}

TEST_CASE("protocol: the licenses answer is read field by field") {
    LicensesAnswer answer;
    answer.features = {{"MATLAB", 3, 7, 10, false, 1, 0}, {"Signal_Toolbox", 0, 0, 0, true, 1, 0}};
    const auto parsed = parse_licenses_answer(to_json(answer));
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->features.size() == 2);
    CHECK(parsed->features[0].feature == "MATLAB");
    CHECK(parsed->features[0].free == 3);
    CHECK(parsed->features[0].total == 10);
    CHECK(parsed->features[1].unlimited);
    // stale_pools is optional (hosts before it did not send it) and at most pools.
    nlohmann::json older = nlohmann::json::parse(to_json(answer));
    older["features"][0].erase("stale_pools");
    CHECK(parse_licenses_answer(older.dump())->features[0].stale_pools == 0);
    older["features"][0]["stale_pools"] = 2;
    const auto too_many = parse_licenses_answer(older.dump());
    REQUIRE_FALSE(too_many.has_value());
    CHECK(too_many.error().field == "features[0].stale_pools");
    const auto bad = parse_licenses_answer(R"({"features": [{"feature": "MATLAB", "free": -1}]})");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().field == "features[0].free");
}
