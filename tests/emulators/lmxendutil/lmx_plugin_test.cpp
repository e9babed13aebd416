// The real lmx.so, loaded like the host loads it, polling and closing through the emulator.
#include "emulator_workspace.hpp"
#include "test_host.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace lmharvest::lmx::testing;

namespace {

const std::string address = "6200@licserv0013.com";

TestConfig emulator_config() {
    TestConfig config;
    config.strings["lmxendutil"] = emulator_path;
    return config;
}

// The emulator's remove syntax (LM-X's own is not publicly documented).
std::vector<std::string> close_template(bool with_password_option) {
    std::vector<std::string> argv = {emulator_path, "-remove", "-host",       "{server_host}",
                                     "-port",       "{port}",  "-feature",    "{feature}",
                                     "-user",       "{user}",  "-clienthost", "{host}"};
    if (with_password_option)
        argv.insert(argv.end(), {"-password", "{password}"});
    return argv;
}

std::string token_of(const PollRecords& records, const std::string& user_host_feature) {
    for (std::size_t i = 0; i < records.session_users.size(); ++i)
        if (records.session_users[i] == user_host_feature)
            return records.close_tokens[i];
    throw std::runtime_error("no session " + user_host_feature);
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

} // namespace

TEST_CASE("lmx.so polls the emulator in XML and in text and reports the same sessions") {
    EmulatorWorkspace workspace;
    TestHost host;
    LmxPlugin plugin(host);
    CHECK(std::string(plugin.descriptor().name) == "lmx");
    CHECK((plugin.descriptor().capabilities & LH_CAP_CLOSE_SESSION) != 0);

    TestConfig config = emulator_config();
    LmxInstance xml(plugin, address, config);
    PollRecords from_xml;
    REQUIRE(xml.poll(from_xml) == LH_OK);
    REQUIRE(from_xml.servers.size() == 1);
    CHECK(from_xml.servers[0].state == LH_STATE_UP);
    CHECK(from_xml.features.size() == 7);
    CHECK(from_xml.session_users.size() == 5);
    CHECK(from_xml.session_servers[0] == "licserv0013.com/6200");
    CHECK(from_xml.skipped == 0);

    config.strings["format"] = "text";
    LmxInstance text(plugin, address, config);
    PollRecords from_text;
    REQUIRE(text.poll(from_text) == LH_OK);
    CHECK(from_text.close_tokens == from_xml.close_tokens);
}

TEST_CASE("lmx.so refuses bad configuration in create()") {
    TestHost host;
    LmxPlugin plugin(host);
    std::string message;
    TestConfig bad_format = emulator_config();
    bad_format.strings["format"] = "json";
    CHECK(create_error(plugin, address, bad_format, message) == LH_ERR_INVALID_ARGUMENT);
    CHECK(message == "lmx: format = \"json\" is not one of \"xml\", \"text\", \"auto\"");

    CHECK(create_error(plugin, "6200@a,6200@b", emulator_config(), message) ==
          LH_ERR_INVALID_ARGUMENT);
    TestConfig no_password_file = emulator_config();
    no_password_file.lists["close_command"] = close_template(true);
    CHECK(create_error(plugin, address, no_password_file, message) == LH_ERR_INVALID_ARGUMENT);
    CHECK(message == "lmx: close_command uses {password} but password_file is not set");
}

TEST_CASE("without close_command, closing is unsupported and says what to set") {
    EmulatorWorkspace workspace;
    TestHost host;
    LmxPlugin plugin(host);
    LmxInstance instance(plugin, address, emulator_config());
    PollRecords records;
    REQUIRE(instance.poll(records) == LH_OK);
    CHECK(instance.close(records.close_tokens[0]) == LH_ERR_UNSUPPORTED);
    CHECK_THAT(instance.last_error(), Catch::Contains("close_command"));
}

TEST_CASE("a close removes the session on the next poll; closing it again is already gone") {
    EmulatorWorkspace workspace;
    TestHost host;
    LmxPlugin plugin(host);
    TestConfig config = emulator_config();
    config.lists["close_command"] = close_template(false);
    LmxInstance instance(plugin, address, config);
    PollRecords before;
    REQUIRE(instance.poll(before) == LH_OK);
    const std::string token = token_of(before, "sssaah@RD0082406 HyperWorks");
    REQUIRE(instance.close(token) == LH_OK);

    PollRecords after;
    REQUIRE(instance.poll(after) == LH_OK);
    CHECK(after.session_users.size() == 4);
    CHECK(std::count(after.close_tokens.begin(), after.close_tokens.end(), token) == 0);
    CHECK(instance.close(token) == LH_ERR_ALREADY_GONE);
    CHECK(instance.close("not a token") == LH_ERR_INVALID_ARGUMENT);
}

TEST_CASE("the password reaches the tool as {password} or on stdin, and no message shows it") {
    for (const bool as_option : {true, false}) {
        INFO((as_option ? "{password}" : "stdin"));
        EmulatorWorkspace workspace;
        workspace.set_password("s3cret-Pw");
        TestHost host;
        LmxPlugin plugin(host);
        TestConfig config = emulator_config();
        config.lists["close_command"] = close_template(as_option);
        config.strings["password_file"] = workspace.path("password");
        LmxInstance instance(plugin, address, config);
        PollRecords records;
        REQUIRE(instance.poll(records) == LH_OK);
        const std::string token = token_of(records, "sssaah@RD0082406 HyperWorks");

        EmulatorWorkspace::write(workspace.path("password"), "wrong-Pw-42\n");
        CHECK(instance.close(token) == LH_ERR_GENERIC);
        CHECK_THAT(instance.last_error(), Catch::Contains("Invalid password '***'"));
        CHECK(instance.last_error().find("wrong-Pw-42") == std::string::npos);
        CHECK_FALSE(mentions(host.log(), "wrong-Pw-42"));

        EmulatorWorkspace::write(workspace.path("password"), "  s3cret-Pw \n");
        CHECK(instance.close(token) == LH_OK);
        CHECK_FALSE(mentions(host.log(), "s3cret-Pw"));
    }
}

TEST_CASE("a hung tool times out, a failing one is an error, no server is a down status") {
    EmulatorWorkspace workspace;
    TestHost host;
    LmxPlugin plugin(host);
    LmxInstance instance(plugin, address, emulator_config(), 500);
    PollRecords records;

    workspace.set_mode("hang");
    CHECK(instance.poll(records) == LH_ERR_TIMEOUT);

    workspace.set_mode("fail");
    CHECK(instance.poll(records) == LH_ERR_GENERIC);
    CHECK_THAT(instance.last_error(), Catch::Contains("Connection to license server failed"));

    workspace.set_mode("no_servers");
    PollRecords down;
    CHECK(instance.poll(down) == LH_OK);
    REQUIRE(down.servers.size() == 1);
    CHECK(down.servers[0].state == LH_STATE_DOWN);
    CHECK(down.server_messages[0] == "There are no license server(s) available.");

    TestConfig missing_tool;
    missing_tool.strings["lmxendutil"] = workspace.path("no-such-lmxendutil");
    LmxInstance broken(plugin, address, missing_tool);
    CHECK(broken.poll(records) == LH_ERR_SPAWN);
}

TEST_CASE("output that is no answer fails the poll with the reason, in XML and in text") {
    EmulatorWorkspace workspace;
    TestHost host;
    LmxPlugin plugin(host);
    const std::vector<std::pair<std::string, std::string>> xml_reasons = {
        {"empty", "no XML in the output"},  {"header", "no XML in the output"},
        {"random", "no XML in the output"}, {"cut", "malformed XML"},
        {"cut_line", "malformed XML"},      {"endless", "stopped by the host"}};
    const std::vector<std::pair<std::string, std::string>> text_reasons = {
        {"empty", "no output"},
        {"header", "no server status"},
        {"random", "no server status"},
        {"cut", "cut in feature 'HyperWorks'"},
        {"cut_line", "cut in the middle of line"},
        {"endless", "stopped by the host"}};
    for (const auto& [format, reasons] :
         {std::pair{"xml", xml_reasons}, std::pair{"text", text_reasons}}) {
        TestConfig config = emulator_config();
        config.strings["format"] = format;
        LmxInstance instance(plugin, address, config, 3000);
        for (const auto& [mode, reason] : reasons) {
            INFO(format << " " << mode);
            workspace.set_mode(mode);
            PollRecords records;
            CHECK(instance.poll(records) == LH_ERR_GENERIC);
            CHECK_THAT(instance.last_error(), Catch::Contains(reason));
        }
        workspace.clear_mode();
        PollRecords back;
        REQUIRE(instance.poll(back) == LH_OK);
        CHECK(back.session_users.size() == 5);
    }
}
