// /metrics of a real service (flexnet and lmx plugins on their emulators) with names that are
// not UTF-8, two versions of one feature and LM-X's 2147483647, checked by Prometheus' own
// promtool and read whole for duplicate series.
#include "exposition_check.hpp"
#include "host_fixture.hpp"
#include "process/run_process.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::testing;

namespace {

const std::string lmx_capture =
    source_dir + "/tests/unit/lmx/data/01-omnivector-altair-hyperworks.reconstructed.xml";

// HyperWorks 21.0 as captured, and a second pool of it, version 22.0, with one checkout.
std::string lmx_with_two_versions() {
    const std::string pool_22 =
        "    <FEATURE NAME=\"HyperWorks\" VERSION=\"22.0\" VENDOR=\"ALTAIR\" START=\"2022-02-17\" "
        "END=\"2023-01-31\" USED_LICENSES=\"1\" TOTAL_LICENSES=\"5\" DENIED_LICENSES=\"0\" "
        "SHARE=\"CUSTOM ,VIRTUAL\">\n      <USER NAME=\"carol\" HOST=\"RD0082407\" "
        "IP=\"138.106.154.221\" USED_LICENSES=\"1\" LOGIN_TIME=\"2022-02-18 09:26\" "
        "CHECKOUT_TIME=\"2022-02-18 09:27\"/>\n    </FEATURE>\n";
    return replace_once(read_file(lmx_capture), "  </LICENSE_PATH>", pool_22 + "  </LICENSE_PATH>");
}

// A Windows server printing Latin-1 to a host told nothing about it (encoding "utf-8").
std::string flexnet_in_latin1() {
    const std::string capture =
        read_file(fixtures_dir + "/flexnet/02-flexlm-exporter-app2-triad.txt");
    return replace_once(replace_once(capture, "Users of feature1:",
                                     "Users of f\xE9"
                                     "ature1:"),
                        "    user7 server024", "    j\xF6rg server024");
}

} // namespace

TEST_CASE("/metrics of a running service passes promtool and has each series once") {
    TempDir tools;
    const std::string flex_state = tools.write("lmstat.txt", flexnet_in_latin1());
    const std::string lmx_state = tools.write("state.xml", lmx_with_two_versions());
    HostFixture host(flexnet_and_lmx_servers(), {{"LMUTIL_EMULATOR_STATE", flex_state},
                                                 {"LMXENDUTIL_EMULATOR_STATE", lmx_state}});
    // No agent reports: the plan, made after each poll, would close nobody.
    const std::string hyperworks_candidates =
        "lmharvest_harvest_candidates{server=\"cae-lmx\",feature=\"HyperWorks\"} 0\n";
    std::string metrics;
    REQUIRE(eventually([&] {
        metrics = get_text(host.port(), "/metrics");
        return metrics.find("lmharvest_server_up{server=\"cae-lmx\",adapter=\"lmx\"} 1") !=
                   std::string::npos &&
               metrics.find("lmharvest_server_up{server=\"eng-flex\",adapter=\"flexnet\"} 1") !=
                   std::string::npos &&
               metrics.find(hyperworks_candidates) != std::string::npos;
    }));

    std::string promtool_output;
    lmharvest::ProcessRequest check;
    check.argv = {"promtool", "check", "metrics"};
    check.stdin_data = metrics;
    check.on_output = [&](lmharvest::OutputStream, std::string_view data) {
        promtool_output.append(data);
    };
    const lmharvest::ProcessResult result = lmharvest::run_process(check);
    INFO(result.error << promtool_output << "\n--- /metrics:\n" << metrics);
    REQUIRE(result.started); // promtool comes with Debian's prometheus (scripts/install-deps)
    CHECK(result.exit_code == 0);
    CHECK(promtool_output.empty());

    const std::vector<std::string> problems = exposition_problems(metrics);
    CHECK(problems.empty());
    const std::string pool = "{server=\"cae-lmx\",vendor=\"ALTAIR\",feature=\"HyperWorks\",";
    CHECK_THAT(metrics,
               Catch::Contains("lmharvest_feature_used" + pool + "version=\"21.0\"} 25000"));
    CHECK_THAT(metrics, Catch::Contains("lmharvest_feature_used" + pool + "version=\"22.0\"} 1"));
    CHECK_THAT(metrics,
               Catch::Contains("lmharvest_feature_sessions" + pool + "version=\"22.0\"} 1"));
    CHECK_THAT(metrics, Catch::Contains("feature=\"HWAIFPBS\",version=\"21.0\"} 2147483647\n"));
    CHECK_THAT(metrics, Catch::Contains("feature=\"f\xEF\xBF\xBD"
                                        "ature1\",version=\"\"} 144\n"));
}
