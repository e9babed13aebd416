// Names as license servers print them, through the real binary and plugins: a NUL inside a
// name, control characters that would move the cursor or forge a log line, and a server whose
// names are in a Windows code page.
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace lmharvest::testing;

namespace {

const std::string flexnet_capture = fixtures_dir + "/flexnet/02-flexlm-exporter-app2-triad.txt";
const std::string lmx_capture =
    source_dir + "/tests/unit/lmx/data/01-omnivector-altair-hyperworks.reconstructed.xml";
const std::string replacement = "\xEF\xBF\xBD";

// lmstat output whose user7 is `name` (its first session, of feature2).
std::string flexnet_with_user(const std::string& name) {
    return replace_once(read_file(flexnet_capture), "    user7 server024",
                        "    " + name + " server024");
}

// An XML attribute may hold a newline (&#10;): LM-X's user names can start a new line.
const std::string forged_line = "2026-01-01T00:00:00.000+00:00 info session open user=admin";
std::string lmx_with_forging_user() {
    return replace_once(read_file(lmx_capture), "NAME=\"sssaah\"",
                        "NAME=\"evil&#10;" + forged_line + "\"");
}

bool has_line_starting_with(const std::string& text, const std::string& start) {
    return text.rfind(start, 0) == 0 || text.find("\n" + start) != std::string::npos;
}

} // namespace

TEST_CASE("parse keeps what follows a NUL inside a user name instead of cutting it") {
    TempDir dir;
    const std::string file = dir.write("nul.txt", flexnet_with_user(std::string("us\0er7", 6)));
    const CliRun run = run_cli({"parse", "flexnet", file, "--now", "2024-06-01T12:00"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("  us" + replacement + "er7@server024 "));
    CHECK_THAT(run.out, !Catch::Contains("  us@server024"));
}

TEST_CASE("parse --encoding decodes names as a server's encoding setting does") {
    TempDir dir;
    const std::string file = dir.write("latin1.txt", flexnet_with_user("j\xF6rg"));
    const CliRun latin1 =
        run_cli({"parse", "flexnet", file, "--encoding", "latin1", "--now", "2024-06-01T12:00"});
    REQUIRE(latin1.exit_code == 0);
    CHECK_THAT(latin1.out, Catch::Contains("  j\xC3\xB6rg@server024 "));
    const CliRun as_printed = run_cli({"parse", "flexnet", file, "--now", "2024-06-01T12:00"});
    CHECK_THAT(as_printed.out, Catch::Contains("  j\\xf6rg@server024 "));
    CHECK(run_cli({"parse", "flexnet", file, "--encoding", "ebcdic"}).exit_code != 0);
}

TEST_CASE("parse shows control characters in names escaped, on one line each") {
    TempDir dir;
    const CliRun flex =
        run_cli({"parse", "flexnet", dir.write("esc.txt", flexnet_with_user("\x1b[2Jevil\x07")),
                 "--now", "2024-06-01T12:00"});
    REQUIRE(flex.exit_code == 0);
    CHECK(flex.out.find('\x1b') == std::string::npos);
    CHECK(flex.out.find('\x07') == std::string::npos);
    CHECK_THAT(flex.out, Catch::Contains("  \\x1b[2Jevil\\x07@server024 "));

    const CliRun lmx = run_cli({"parse", "lmx", dir.write("nl.xml", lmx_with_forging_user()),
                                "--now", "2024-06-01T12:00"});
    INFO(lmx.err);
    REQUIRE(lmx.exit_code == 0);
    CHECK_THAT(lmx.out, Catch::Contains("evil\\n" + forged_line + "@RD0082406"));
    CHECK_FALSE(has_line_starting_with(lmx.out, forged_line));
}

TEST_CASE("the service log and `lmharvest sessions` show names escaped") {
    TempDir tools;
    const std::string flex_state = tools.write("lmstat.txt", flexnet_with_user("\x1b[2Jevil"));
    const std::string lmx_state = tools.write("state.xml", lmx_with_forging_user());
    HostFixture host(flexnet_and_lmx_servers(), {{"LMUTIL_EMULATOR_STATE", flex_state},
                                                 {"LMXENDUTIL_EMULATOR_STATE", lmx_state}});
    REQUIRE(eventually([&] {
        return host.sessions("?server=eng-flex").size() > 0 &&
               host.sessions("?server=cae-lmx").size() > 0;
    }));
    // The API answers the names as they are (JSON escapes them its own way).
    CHECK(host.sessions("?user=%1B%5B2Jevil").size() == 1);

    const CliRun table = run_cli({"sessions", "--config", host.config()});
    INFO(table.err);
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find('\x1b') == std::string::npos);
    CHECK_THAT(table.out, Catch::Contains("\\x1b[2Jevil"));
    CHECK_THAT(table.out, Catch::Contains("evil\\n2026-01-01T00:00:00.000+00:00"));
    CHECK_FALSE(has_line_starting_with(table.out, forged_line));

    REQUIRE(host.host().stop() == 0);
    const std::string log = host.host().log();
    CHECK(log.find('\x1b') == std::string::npos);
    CHECK_THAT(log, Catch::Contains("user=\\x1b[2Jevil host=server024"));
    CHECK_THAT(log, Catch::Contains("user=evil\\n" + forged_line));
    CHECK_FALSE(has_line_starting_with(log, forged_line));
}

TEST_CASE("a server's encoding decodes names before the store; auto keeps UTF-8 as it is") {
    TempDir tools;
    // One checkout by a name in Latin-1 and one by a name already in UTF-8.
    const std::string state =
        tools.write("lmstat.txt", replace_once(flexnet_with_user("j\xF6rg"), "    user8 server036",
                                               "    \xC3\xB6mer server036"));
    auto server = [](const std::string& id, const std::string& encoding) {
        return "[[servers]]\nid = \"" + id +
               "\"\nadapter = \"flexnet\"\naddress = \"27000@host1\"\ninterval = \"1s\"\n"
               "encoding = \"" +
               encoding + "\"\n[servers.flexnet]\nlmutil = \"" + emulator_dir + "/lmutil\"\n\n";
    };
    HostFixture host(server("win-latin1", "latin1") + server("win-auto", "auto"),
                     {{"LMUTIL_EMULATOR_STATE", state}});
    REQUIRE(eventually([&] {
        return host.sessions("?server=win-latin1").size() > 0 &&
               host.sessions("?server=win-auto").size() > 0;
    }));
    auto users = [&](const std::string& server) {
        std::set<std::string> names;
        for (const nlohmann::json& session : host.sessions("?server=" + server))
            names.insert(session.at("user").get<std::string>());
        return names;
    };
    const std::set<std::string> latin1 = users("win-latin1"), automatic = users("win-auto");
    CHECK(latin1.count("j\xC3\xB6rg") == 1);
    CHECK(latin1.count("\xC3\x83\xC2\xB6mer") == 1); // UTF-8 bytes read as Latin-1: what was asked
    CHECK(automatic.count("j\xC3\xB6rg") == 1);
    CHECK(automatic.count("\xC3\xB6mer") == 1);

    const CliRun table = run_cli({"sessions", "--config", host.config(), "--user", "j\xC3\xB6rg"});
    CHECK_THAT(table.out, Catch::Contains("j\xC3\xB6rg") && Catch::Contains("2 open sessions"));
}
