// `parse --json` writes each session as the plugin lends it (cli/json_poll_sink.hpp), not from a
// PollSnapshot. Its JSON must hold what the snapshot path gives for the same output: the real
// binary on every capture in tests/fixtures, against AdapterInstance::poll() of the same plugin
// .so in this process, decoded and rendered by the DOM.
#include "harness.hpp"
#include "model/decode_names.hpp"
#include "plugins/adapter_instance.hpp"
#include "plugins/plugin_registry.hpp"

#include "json/iso_time.hpp"
#include "json/safe_dump.hpp"
#include "json/snapshot_json.hpp"
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

using namespace lmharvest;
using namespace lmharvest::testing;

namespace {

namespace fs = std::filesystem;

const std::string now = "2024-06-01T12:00";

// What the snapshot path makes of `output`: the same replay of the file that `parse` does.
nlohmann::json snapshot_json(const std::string& adapter, const std::string& dir,
                             const std::string& output, text::Encoding encoding) {
    PluginRegistry registry([output](const ProcessRequest& request) {
        ProcessResult result;
        result.started = true;
        result.exit_code = 0;
        if (request.on_output)
            request.on_output(OutputStream::out, output);
        return result;
    });
    registry.load_directory({dir}, std::set<std::string>{adapter});
    auto plugin = registry.find(adapter);
    REQUIRE(plugin);
    InstanceSettings settings;
    settings.server_id = "parse";
    settings.adapter = adapter;
    settings.address = "replay";
    TempDir state;
    settings.state_dir = state.path();
    auto instance = AdapterInstance::create(plugin, std::move(settings));
    REQUIRE(instance);
    PollSnapshot snapshot = (*instance)->poll(*parse_iso8601(now), FailedPoll::keep);
    decode_names(snapshot, encoding);
    return nlohmann::json::parse(safe_dump(to_json(snapshot)));
}

// Runs `parse --json` on `file` and checks its JSON and exit code against the snapshot path's.
void check_same(const std::string& adapter, const std::string& dir, const std::string& file,
                const std::string& encoding = "utf-8") {
    INFO(adapter << " " << file << " --encoding " << encoding);
    const CliRun run = run_cli({"parse", adapter, file, "--json", "--now", now, "--encoding",
                                encoding, "--plugin-dir", dir});
    INFO(run.err);
    const nlohmann::json expected =
        snapshot_json(adapter, dir, read_file(file), *text::encoding_from_name(encoding));
    const nlohmann::json streamed = nlohmann::json::parse(run.out); // throws on invalid UTF-8
    CHECK(streamed == expected);
    CHECK(run.exit_code == (expected.contains("error") ? 1 : 0));
}

std::vector<std::string> captures(const std::string& kind) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(fixtures_dir + "/" + kind))
        if (entry.path().extension() == ".txt")
            files.push_back(entry.path().string());
    REQUIRE(files.size() >= 3);
    return files;
}

} // namespace

TEST_CASE("parse --json gives the snapshot path's JSON on every FlexNet and LM-X capture") {
    for (const std::string& file : captures("flexnet"))
        check_same("flexnet", plugin_dir, file);
    for (const std::string& file : captures("lmx"))
        check_same("lmx", plugin_dir, file);
}

TEST_CASE("parse --json gives the snapshot path's JSON for bytes that are not UTF-8") {
    TempDir dir;
    std::string text = read_file(fixtures_dir + "/flexnet/02-flexlm-exporter-app2-triad.txt");
    text = replace_once(text, "    user3 server0216", "    j\xf6rg server0216");
    text = replace_once(text, "    user4 server0313", "    us\x1b[2J\xff\xfe server0313");
    const std::string file = dir.write("lmstat.txt", text);
    check_same("flexnet", plugin_dir, file);
    check_same("flexnet", plugin_dir, file, "latin1");
    check_same("flexnet", plugin_dir, file, "cp1252");
}

TEST_CASE("parse --json lists the records the host refuses under skipped, as the snapshot does") {
    TempDir dir;
    const std::string file = dir.write("empty.txt", "");
    const std::string plugins = std::string(LH_BINARY_DIR) + "/test-plugins/bad_records";
    check_same("bad_records", plugins, file);
    const CliRun run = run_cli({"parse", "bad_records", file, "--json", "--plugin-dir", plugins});
    CHECK(nlohmann::json::parse(run.out).at("skipped").size() == 7);
}

TEST_CASE("parse --json on a refused output: the records read, the error, exit code 1") {
    TempDir dir;
    const std::string file = dir.write("empty.txt", "");
    const std::string plugins = std::string(LH_BINARY_DIR) + "/test-plugins/returns_error_in_poll";
    check_same("returns_error_in_poll", plugins, file);
    const CliRun run =
        run_cli({"parse", "returns_error_in_poll", file, "--json", "--plugin-dir", plugins});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("license server lic1 is not reachable") != std::string::npos);
    const nlohmann::json json = nlohmann::json::parse(run.out);
    CHECK(json.at("features").size() == 1);
    CHECK(json.at("error").get<std::string>().find("not reachable") != std::string::npos);
}
