// Bytes that are not UTF-8 in what a license tool prints (a Latin-1 user name from a Windows
// server, control characters) reach every large JSON answer as valid UTF-8, never an abort or a
// 500: `parse --json`, the service's GET /api/v1/sessions and `sessions --json`.
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <httplib.h>
#include <set>
#include <sys/wait.h>

using namespace lmharvest::testing;

namespace {

const std::string capture = "02-flexlm-exporter-app2-triad.txt";
const std::string replacement = "\xEF\xBF\xBD";

// The capture with user3 renamed to Latin-1 "jörg" and user4 to a name with an escape sequence.
std::string mangled_capture() {
    std::string text = read_file(fixtures_dir + "/flexnet/" + capture);
    const auto rename = [&text](const std::string& from, const std::string& to) {
        const std::size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
    };
    rename("    user3 server0216", "    j\xf6rg server0216");
    rename("    user4 server0313", "    us\x1b[2Jer server0313");
    return text;
}

std::set<std::string> users_of(const nlohmann::json& sessions) {
    std::set<std::string> users;
    for (const nlohmann::json& session : sessions)
        users.insert(session.at("user").get<std::string>());
    return users;
}

void check_users(const nlohmann::json& sessions) {
    const std::set<std::string> users = users_of(sessions);
    CHECK(users.count("j" + replacement + "rg") == 1);
    CHECK(users.count("us\x1b[2Jer") == 1); // escaped as \u001b in the JSON text
}

} // namespace

TEST_CASE("parse --json writes valid UTF-8 for a capture with Latin-1 and control bytes") {
    TempDir dir;
    const std::string file = dir.write("lmstat.txt", mangled_capture());
    const CliRun run = run_cli({"parse", "flexnet", file, "--json", "--now", "2024-06-01T12:00"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find('\x1b') == std::string::npos);
    const auto json = nlohmann::json::parse(run.out); // throws on invalid UTF-8
    check_users(json.at("sessions"));
}

TEST_CASE("the service answers GET /api/v1/sessions and sessions --json with such names") {
    TempDir emulator;
    const std::string state = emulator.write("lmstat.txt", mangled_capture());
    HostFixture host("[[servers]]\nid = \"eng-flex\"\nadapter = \"flexnet\"\n"
                     "address = \"27000@host1,27000@host2,27000@host3\"\n"
                     "interval = \"1s\"\ntimeout = \"500ms\"\n[servers.flexnet]\n"
                     "lmutil = \"" +
                         emulator_dir + "/lmutil\"\n",
                     {{"LMUTIL_EMULATOR_STATE", state}});
    const auto expect = nlohmann::json::parse(read_file(fixtures_dir + "/flexnet/expect.json"));
    REQUIRE(host.wait_for_sessions(expect.at(capture).at("sessions").get<std::size_t>()));

    httplib::Client client("127.0.0.1", host.port());
    const auto response = client.Get("/api/v1/sessions");
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->get_header_value("Content-Type") == "application/json");
    CHECK(response->get_header_value("Transfer-Encoding") == "chunked"); // streamed, not one string
    check_users(nlohmann::json::parse(response->body));

    const CliRun sessions = run_cli({"sessions", "--config", host.config(), "--json"});
    INFO(sessions.err);
    REQUIRE(sessions.exit_code == 0);
    check_users(nlohmann::json::parse(sessions.out));
}

TEST_CASE("parse --json into a full disk fails with a message, not exit 0") {
    const std::string command = lmharvest_binary + " parse flexnet " + fixtures_dir + "/flexnet/" +
                                capture + " --json --plugin-dir " + plugin_dir + " > /dev/full";
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
}
