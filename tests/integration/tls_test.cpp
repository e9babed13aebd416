// HTTPS on the API (host.tls_cert, host.tls_key) with a certificate made for the test, the
// limits over TLS, and the config rules: a non-loopback listen needs TLS or insecure = true.
#include "host_fixture.hpp"
#include "limit_checks.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <httplib.h>
#include <sys/stat.h>

using namespace lmharvest::testing;

namespace {

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n";

// A self-signed certificate for 127.0.0.1 and its key (mode 0600), made by the openssl CLI.
struct Certificate {
    TempDir dir;
    std::string cert = (dir / "api.pem").string();
    std::string key = (dir / "api.key").string();

    Certificate() {
        const CliRun made = run_program({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                                         "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                                         "-addext", "subjectAltName=IP:127.0.0.1"});
        INFO(made.err);
        REQUIRE(made.exit_code == 0);
        REQUIRE(::chmod(key.c_str(), 0600) == 0);
    }
    std::string host_keys() const {
        return "tls_cert = \"" + cert + "\"\ntls_key = \"" + key + "\"\n";
    }
};

std::string config_listening_on(const TempDir& dir, const std::string& listen,
                                const std::string& host_keys) {
    return dir.write("lmharvest.toml", "[host]\nstate_dir = \"" + (dir / "state").string() +
                                           "\"\nplugin_dirs = [\"" + plugin_dir +
                                           "\"]\nlisten = \"" + listen + "\"\n" + host_keys + "\n" +
                                           sim_server);
}

} // namespace

TEST_CASE("with tls_cert and tls_key the API answers over HTTPS, and not over plain HTTP",
          "[tls]") {
    const Certificate certificate;
    HostFixture host(sim_server, {}, certificate.host_keys());
    httplib::SSLClient client("127.0.0.1", host.port());
    client.set_ca_cert_path(certificate.cert.c_str()); // the certificate is checked
    client.enable_server_certificate_verification(true);
    REQUIRE(eventually([&] {
        const auto sessions = client.Get("/api/v1/sessions");
        return sessions && sessions->status == 200 &&
               !nlohmann::json::parse(sessions->body, nullptr, false).empty();
    }));
    CHECK(client.get_openssl_verify_result() == X509_V_OK);

    httplib::Client plain("127.0.0.1", host.port());
    plain.set_read_timeout(std::chrono::seconds(12));
    const auto refused = plain.Get("/healthz");
    CHECK_FALSE(refused); // no HTTP answer on the HTTPS port
    CHECK(healthz(host.port(), Transport::tls) == "ok\n");
    CHECK_THAT(host.host().log(), Catch::Contains("scheme=https"));
}

TEST_CASE("over TLS, the event hub's thread writes the live events of a handed-over connection",
          "[tls]") {
    const Certificate certificate;
    HostFixture host(sim_server, {}, certificate.host_keys());
    httplib::SSLClient client("127.0.0.1", host.port());
    client.set_ca_cert_path(certificate.cert.c_str());
    client.enable_server_certificate_verification(true);
    client.set_read_timeout(std::chrono::seconds(20));
    REQUIRE(eventually([&] { return healthz(host.port(), Transport::tls) == "ok\n"; }));
    std::string received;
    const auto answer = client.Get("/api/v1/events", [&](const char* data, size_t size) {
        received.append(data, size);
        // Two polls' events: the second was written by the hub after the worker let go.
        std::size_t events = 0;
        for (auto at = received.find("event: poll"); at != std::string::npos;
             at = received.find("event: poll", at + 1))
            ++events;
        return events < 2;
    });
    INFO(received);
    CHECK_THAT(received, Catch::StartsWith("retry: 5000\n: listening\n\n"));
    CHECK_THAT(received, Catch::Contains("event: poll\ndata: {"));
    CHECK_THAT(received, Catch::Contains("\"server\":\"sim1\""));
    // The worker that handed the connection over serves others again.
    CHECK(healthz(host.port(), Transport::tls) == "ok\n");
}

TEST_CASE("over TLS, slow clients do not block /healthz", "[tls]") {
    const Certificate certificate;
    HostFixture host(sim_server, {}, certificate.host_keys());
    check_slow_clients_do_not_block(host, Transport::tls);
}

TEST_CASE("over TLS, a trickled header or an endless line is cut off", "[tls]") {
    const Certificate certificate;
    HostFixture host(sim_server, {}, certificate.host_keys());
    check_trickle_and_endless_line_cut(host, Transport::tls);

    // A client that connects and never starts the handshake is cut off too.
    const int silent = connect_tcp(host.port());
    REQUIRE(silent >= 0);
    const auto start = std::chrono::steady_clock::now();
    char byte = 0;
    CHECK(::recv(silent, &byte, 1, 0) <= 0); // the server closes it
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(15));
    ::close(silent);
}

TEST_CASE("over TLS, large bodies are refused before they are read", "[tls]") {
    const Certificate certificate;
    HostFixture host(sim_server, {}, certificate.host_keys());
    check_large_bodies_refused(host, Transport::tls);
}

TEST_CASE("a non-loopback listen needs TLS or insecure = true", "[tls]") {
    const Certificate certificate;
    const TempDir dir;
    const std::string listen = "0.0.0.0:" + std::to_string(free_port());

    const std::string plain = config_listening_on(dir, listen, "");
    for (const std::string command : {"check-config", "run"}) {
        INFO(command);
        const CliRun refused = command == "run" ? run_cli({"run", "--config", plain})
                                                : run_cli({"check-config", "--schema-only", plain});
        CHECK(refused.exit_code != 0);
        CHECK_THAT(refused.err, Catch::Contains("lmharvest.toml:4:10: host.listen"));
        CHECK_THAT(refused.err, Catch::Contains("set tls_cert and tls_key"));
        CHECK_THAT(refused.err, Catch::Contains("insecure = true"));
    }

    const std::string with_tls = config_listening_on(dir, listen, certificate.host_keys());
    CHECK(run_cli({"check-config", "--schema-only", with_tls}).exit_code == 0);

    const std::string insecure = config_listening_on(dir, listen, "insecure = true\n");
    CHECK(run_cli({"check-config", "--schema-only", insecure}).exit_code == 0);
    RunningHost host(insecure, {}, dir / "host.log");
    CHECK(eventually([&] {
        return host.log().find("api serves plain HTTP on address=0.0.0.0 (host.insecure = "
                               "true)") != std::string::npos;
    }));
}

TEST_CASE("unusable TLS files are refused with the fix", "[tls]") {
    const Certificate certificate;
    const TempDir dir;
    const std::string listen = "127.0.0.1:" + std::to_string(free_port());

    REQUIRE(::chmod(certificate.key.c_str(), 0644) == 0);
    const CliRun readable = run_cli({"check-config", "--schema-only",
                                     config_listening_on(dir, listen, certificate.host_keys())});
    CHECK(readable.exit_code != 0);
    CHECK_THAT(readable.err, Catch::Contains("host.tls_key: the private key " + certificate.key +
                                             " is readable by every user (mode 0644); run "
                                             "`chmod 600 " +
                                             certificate.key + "`"));
    REQUIRE(::chmod(certificate.key.c_str(), 0600) == 0);

    const CliRun missing =
        run_cli({"check-config", "--schema-only",
                 config_listening_on(dir, listen, "tls_cert = \"" + certificate.cert + "\"\n")});
    CHECK(missing.exit_code != 0);
    CHECK_THAT(missing.err, Catch::Contains("host.tls_cert: set without tls_key"));

    const CliRun absent = run_cli(
        {"check-config", "--schema-only",
         config_listening_on(
             dir, listen, "tls_cert = \"no-such.pem\"\ntls_key = \"" + certificate.key + "\"\n")});
    CHECK(absent.exit_code != 0);
    CHECK_THAT(absent.err, Catch::Contains("cannot read " + (dir / "no-such.pem").string() +
                                           " (No such file or directory)"));

    // Files that are there but hold no certificate: the service does not start.
    const std::string garbage = dir.write("garbage.pem", "not a certificate\n");
    const CliRun bad_pair =
        run_cli({"run", "--config",
                 config_listening_on(dir, listen,
                                     "tls_cert = \"" + garbage + "\"\ntls_key = \"" +
                                         certificate.key + "\"\n")});
    CHECK(bad_pair.exit_code != 0);
    CHECK_THAT(bad_pair.err, Catch::Contains("cannot use host.tls_cert " + garbage));
}

TEST_CASE("a reload that changes the certificate on the same listen is refused until a restart",
          "[tls]") {
    const Certificate first, second;
    HostFixture host(sim_server, {}, first.host_keys());
    REQUIRE(eventually([&] { return healthz(host.port(), Transport::tls) == "ok\n"; }));
    const std::string config = read_file(host.config());
    std::ofstream(host.config()) << replace_once(
        replace_once(config, "tls_cert = \"" + first.cert, "tls_cert = \"" + second.cert),
        "tls_key = \"" + first.key, "tls_key = \"" + second.key);
    host.host().signal(SIGHUP);
    REQUIRE(
        eventually([&] { return host.host().log().find("reload refused") != std::string::npos; }));
    CHECK_THAT(host.host().log(), Catch::Contains("host.tls_cert, tls_key or insecure changed"));
    // Still the first certificate: a client that trusts only it connects.
    httplib::SSLClient client("127.0.0.1", host.port());
    client.set_ca_cert_path(first.cert.c_str());
    client.enable_server_certificate_verification(true);
    const auto health = client.Get("/healthz");
    REQUIRE(health);
    CHECK(health->body == "ok\n");
}
