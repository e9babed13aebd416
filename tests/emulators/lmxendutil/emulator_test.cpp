// The lmxendutil emulator run as a real process: its outputs read back by the real parsers, its
// text layout byte for byte the real capture's, removals, passwords and modes.
#include "emulator_workspace.hpp"
#include "parse_lmx.hpp"
#include "process/run_process.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace lmharvest::lmx;
using namespace lmharvest::lmx::testing;

namespace {

struct Run {
    ProcessResult result;
    std::string out;
    std::string err;
};

Run emulator(std::vector<std::string> args, std::string stdin_data = {},
             std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    Run run;
    ProcessRequest request;
    request.argv = {emulator_path};
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.timeout = timeout;
    request.stdin_data = std::move(stdin_data);
    request.on_output = [&run](OutputStream stream, std::string_view data) {
        (stream == OutputStream::err ? run.err : run.out).append(data);
    };
    run.result = run_process(request);
    return run;
}

const std::vector<std::string> remove_hyperworks = {
    "-remove",    "-host", "licserv0013.com", "-port",       "6200",     "-feature",
    "HyperWorks", "-user", "sssaah",          "-clienthost", "RD0082406"};

} // namespace

TEST_CASE("-licstat prints the state in the real capture's layout, byte for byte") {
    EmulatorWorkspace workspace;
    const Run run = emulator({"-licstat", "-host", "licserv0013.com", "-port", "6200"});
    CHECK(run.result.exit_code == 0);
    CHECK(run.out == fixture("01-omnivector-altair-hyperworks.txt"));
}

TEST_CASE("-licstatxml prints a banner and XML that the XML parser reads whole") {
    EmulatorWorkspace workspace;
    const Run run = emulator({"-licstatxml", "-host", "licserv0013.com", "-port", "6200"});
    CHECK(run.result.exit_code == 0);
    CHECK(run.out.starts_with("LM-X End-user Utility"));
    const LmxResult result = parse_lmx_xml(run.out, 0);
    REQUIRE(result.ok);
    CHECK(result.features.size() == 7);
    CHECK(result.sessions.size() == 5);
    CHECK(result.skipped.empty());
}

TEST_CASE("-remove drops the user's checkouts and lowers USED; a second time is not found") {
    EmulatorWorkspace workspace;
    const Run removed = emulator(remove_hyperworks);
    CHECK(removed.result.exit_code == 0);
    const LmxResult after = parse_lmx_xml(emulator({"-licstatxml"}).out, 0);
    CHECK(after.sessions.size() == 4);
    for (const LmxFeature& feature : after.features)
        if (feature.name == "HyperWorks")
            CHECK(feature.used == 0);
    const Run again = emulator(remove_hyperworks);
    CHECK(again.result.exit_code == 1);
    CHECK(again.err == "User sssaah@RD0082406 not found for feature HyperWorks\n");
}

TEST_CASE("with a password set, -remove needs it as an option or on stdin") {
    EmulatorWorkspace workspace;
    workspace.set_password("s3cret");
    Run wrong = emulator(remove_hyperworks, "guess\n");
    CHECK(wrong.result.exit_code == 1);
    CHECK(wrong.err == "Invalid password 'guess'\n");
    CHECK(emulator(remove_hyperworks, "s3cret\n").result.exit_code == 0);

    EmulatorWorkspace other;
    other.set_password("s3cret");
    std::vector<std::string> with_option = remove_hyperworks;
    with_option.insert(with_option.end(), {"-password", "s3cret"});
    CHECK(emulator(with_option).result.exit_code == 0);
}

TEST_CASE("the mode sidecar makes the emulator hang, fail or find no server") {
    EmulatorWorkspace workspace;
    workspace.set_mode("fail");
    const Run failed = emulator({"-licstatxml"});
    CHECK(failed.result.exit_code == 1);
    CHECK_THAT(failed.err, Catch::Contains("Connection to license server failed"));

    workspace.set_mode("no_servers");
    const Run none = emulator({"-licstat"});
    CHECK(none.out == fixture("03-omnivector-no-servers.txt"));

    workspace.set_mode("hang");
    const Run hung = emulator({"-licstatxml"}, {}, std::chrono::milliseconds(300));
    CHECK(hung.result.timed_out);

    workspace.clear_mode();
    CHECK(emulator({"-licstatxml"}).result.exit_code == 0);
}
