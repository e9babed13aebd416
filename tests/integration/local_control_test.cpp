// `lmharvest close` and the service's control socket: the token never goes over TCP, each end
// checks the other's uid (tests run as root: a child switches to nobody), one close of a
// session at a time, and an api-token others may read is refused.
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest::testing;

namespace {

constexpr uid_t nobody = 65534;

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n";

sockaddr_un unix_address(const std::filesystem::path& file) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", file.c_str());
    return address;
}

// Runs `body` in a forked child and returns what it wrote to the pipe it was given.
std::string in_child(const std::function<void(int out)>& body) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        body(pipe_fds[1]);
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string output;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0)
        output.append(buffer, static_cast<std::size_t>(got));
    ::close(pipe_fds[0]);
    ::waitpid(child, nullptr, 0);
    return output;
}

void write_text(int fd, const std::string& text) {
    [[maybe_unused]] const ssize_t wrote = ::write(fd, text.data(), text.size());
}

} // namespace

TEST_CASE("with the service down, close sends nothing to whatever listens on its port") {
    TempDir dir;
    const int port = free_port();
    std::filesystem::create_directories(dir / "state");
    dir.write("state/api-token", "0123456789abcdef0123456789abcdef\n");
    std::filesystem::permissions(dir / "state" / "api-token",
                                 std::filesystem::perms::owner_read |
                                     std::filesystem::perms::owner_write);
    dir.write("state/api-address", "127.0.0.1:" + std::to_string(port) + "\n");
    const std::string config = dir.write(
        "lmharvest.toml", "[host]\nstate_dir = \"" + (dir / "state").string() +
                              "\"\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n");
    // The impostor: another local user bound the port while the service was down.
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 4) == 0);

    const CliRun close = run_cli({"close", "--config", config, "7"});
    CHECK(close.exit_code == 1);
    CHECK_THAT(close.err, Catch::Contains("the service is not running"));
    pollfd wait{listener, POLLIN, 0};
    CHECK(::poll(&wait, 1, 500) == 0); // nobody even connected
    ::close(listener);
}

TEST_CASE("the service refuses a control request from a user that is not root, its own or in "
          "its group") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const int64_t id = host.sessions().at(0).at("id");
    const std::filesystem::path socket_file = host.dir() / "state" / "control.sock";
    REQUIRE(std::filesystem::is_socket(socket_file));
    struct stat status {};
    REQUIRE(::stat(socket_file.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0660);

    // Make the file itself open to all, so that only the peer check stands in the way.
    ::chmod(host.dir().path().c_str(), 0755);
    ::chmod((host.dir() / "state").c_str(), 0755);
    ::chmod(socket_file.c_str(), 0666);
    const std::string answer = in_child([&](int out) {
        if (::setgid(nobody) != 0 || ::setuid(nobody) != 0)
            return write_text(out, "cannot become nobody");
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        const sockaddr_un address = unix_address(socket_file);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
            return write_text(out, "cannot connect");
        write_text(fd, R"({"command":"close","session_id":)" + std::to_string(id) + "}\n");
        char buffer[4096];
        ssize_t got = 0;
        while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
            write_text(out, std::string(buffer, static_cast<std::size_t>(got)));
    });
    CHECK_THAT(answer, Catch::Contains("uid 65534 may not control this service"));
    CHECK(get_json(host.port(), "/api/v1/actions").empty());
    CHECK_THAT(host.host().log(), Catch::Contains("control request refused peer_uid=65534"));
}

TEST_CASE("close refuses to talk to a control socket served by another user") {
    TempDir dir;
    std::filesystem::create_directories(dir / "state");
    ::chmod(dir.path().c_str(), 0755);
    ::chmod((dir / "state").c_str(), 0777); // a careless folder: anyone may put a socket in it
    const std::string config =
        dir.write("lmharvest.toml", "[host]\nstate_dir = \"" + (dir / "state").string() + "\"\n");
    const std::filesystem::path socket_file = dir / "state" / "control.sock";

    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    std::string received;
    std::thread impostor([&] {
        received = in_child([&](int out) {
            ::close(ready[0]);
            if (::setgid(nobody) != 0 || ::setuid(nobody) != 0)
                return write_text(out, "cannot become nobody");
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            const sockaddr_un address = unix_address(socket_file);
            if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
                ::chmod(socket_file.c_str(), 0666) != 0 || ::listen(fd, 1) != 0)
                return write_text(out, "cannot listen");
            write_text(ready[1], "x");
            ::close(ready[1]);
            pollfd wait{fd, POLLIN, 0};
            if (::poll(&wait, 1, 20000) <= 0)
                return write_text(out, "nobody came");
            const int connection = ::accept(fd, nullptr, nullptr);
            char buffer[4096];
            ssize_t got = 0;
            std::string bytes;
            while ((got = ::read(connection, buffer, sizeof buffer)) > 0)
                bytes.append(buffer, static_cast<std::size_t>(got));
            write_text(out, "received " + std::to_string(bytes.size()) + " bytes");
        });
    });
    // ready[1] stays open here until the end: closing it now would free its number for the
    // pipe in_child() is about to make.
    pollfd wait{ready[0], POLLIN, 0};
    char byte = 0;
    const bool listening = ::poll(&wait, 1, 10000) == 1 && ::read(ready[0], &byte, 1) == 1;
    if (!listening)
        impostor.join();
    INFO(received);
    REQUIRE(listening);
    const CliRun close = run_cli({"close", "--config", config, "7"});
    impostor.join();
    ::close(ready[0]);
    ::close(ready[1]);
    CHECK(close.exit_code == 1);
    CHECK_THAT(close.err, Catch::Contains("served by uid 65534"));
    CHECK_THAT(close.err, Catch::Contains("refusing to talk to it"));
    CHECK(received == "received 0 bytes");
}

TEST_CASE("five parallel closes of one session run one lmremove and write one closed row") {
    TempDir emulator;
    const std::string state = emulator.write(
        "lmstat.txt", read_file(fixtures_dir + "/flexnet/02-flexlm-exporter-app2-triad.txt"));
    HostFixture host("[[servers]]\nid = \"eng-flex\"\nadapter = \"flexnet\"\n"
                     "address = \"27000@host1,27000@host2,27000@host3\"\n"
                     "interval = \"1s\"\ntimeout = \"10s\"\n[servers.flexnet]\nlmutil = \"" +
                         emulator_dir + "/lmutil\"\n",
                     {{"LMUTIL_EMULATOR_STATE", state}});
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    emulator.write("lmstat.txt.mode", "slow_remove"); // each lmremove takes a second
    const int64_t id = host.sessions().at(0).at("id");
    const std::string raw = read_file(host.dir() / "state" / "api-token");
    const std::string token = raw.substr(0, raw.find('\n'));

    std::vector<int> statuses(5, 0);
    std::vector<std::string> outcomes(5);
    std::vector<std::thread> closers;
    for (int i = 0; i < 5; ++i)
        closers.emplace_back([&, i] {
            httplib::Client client("127.0.0.1", host.port());
            client.set_read_timeout(std::chrono::seconds(30));
            const auto result = client.Post("/api/v1/sessions/" + std::to_string(id) + "/close",
                                            {{"Authorization", "Bearer " + token}},
                                            R"({"reason":"it-test"})", "application/json");
            if (!result)
                return;
            statuses[i] = result->status;
            outcomes[i] = nlohmann::json::parse(result->body).value("outcome", "");
        });
    for (std::thread& closer : closers)
        closer.join();
    CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
    CHECK(std::count(statuses.begin(), statuses.end(), 409) == 4);
    CHECK(std::count(outcomes.begin(), outcomes.end(), "closed") == 1);
    CHECK(std::count(outcomes.begin(), outcomes.end(), "under_way") +
              std::count(outcomes.begin(), outcomes.end(), "already_closed") ==
          4);
    const std::string calls = read_file(state + ".calls");
    CHECK(std::count(calls.begin(), calls.end(), '\n') == 1);
    const nlohmann::json actions = get_json(host.port(), "/api/v1/actions");
    REQUIRE(actions.is_array());
    CHECK(actions.size() == 1);
}

TEST_CASE("an api-token that others may read is refused by the service and by close") {
    TempDir dir;
    std::filesystem::create_directories(dir / "state");
    dir.write("state/api-token", "0123456789abcdef0123456789abcdef\n");
    ::chmod((dir / "state" / "api-token").c_str(), 0644);
    const std::string config = dir.write(
        "lmharvest.toml",
        "[host]\nstate_dir = \"" + (dir / "state").string() + "\"\nplugin_dirs = [\"" + plugin_dir +
            "\"]\nlisten = \"127.0.0.1:" + std::to_string(free_port()) + "\"\n\n" + sim_server);
    RunningHost host(config, {}, dir / "host.log");
    CHECK(eventually([&] { return !host.alive(); }, std::chrono::seconds(20)));
    CHECK(host.stop() != 0);
    CHECK_THAT(host.log(), Catch::Contains("(mode 0644); run `chmod 600 "));
    CHECK(read_file(dir / "state" / "api-token") == "0123456789abcdef0123456789abcdef\n");

    const CliRun close = run_cli({"close", "--config", config, "7"});
    CHECK(close.exit_code == 1);
    CHECK_THAT(close.err, Catch::Contains("chmod 600 " + (dir / "state" / "api-token").string()));
}
