// host.groups_from = "nss": the sessions API's group filter through the machine's real NSS.
// The emulator's state is a capture whose users are renamed to root and daemon, users every
// Debian system has; the other users of the capture are unknown to NSS.
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <set>
#include <sstream>

using namespace lmharvest::testing;

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The words `id` prints for its arguments (`id -gn root`: root's primary group).
std::vector<std::string> id_words(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"id"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CliRun run = run_program(argv);
    REQUIRE(run.exit_code == 0);
    std::istringstream in(run.out);
    std::vector<std::string> words;
    for (std::string word; in >> word;)
        words.push_back(word);
    return words;
}

std::set<std::string> users_of(const nlohmann::json& sessions) {
    std::set<std::string> users;
    for (const nlohmann::json& session : sessions)
        users.insert(session.at("user").get<std::string>());
    return users;
}

} // namespace

TEST_CASE("with groups_from = \"nss\", ?group= takes the system's groups and [groups]", "[nss]") {
    const TempDir emulator;
    const std::string capture =
        read_file(fixtures_dir + "/flexnet/02-flexlm-exporter-app2-triad.txt");
    const std::string state =
        emulator.write("lmstat.txt", replace_all(replace_all(capture, "    user1 ", "    root "),
                                                 "    user2 ", "    daemon "));
    HostFixture host("[groups]\neng = [\"user3\"]\n\n[[servers]]\nid = \"eng-flex\"\nadapter = "
                     "\"flexnet\"\naddress = \"27000@host1\"\ninterval = \"1s\"\n"
                     "[servers.flexnet]\nlmutil = \"" +
                         emulator_dir + "/lmutil\"\n",
                     {{"LMUTIL_EMULATOR_STATE", state}}, "groups_from = \"nss\"\n");
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const std::set<std::string> all = users_of(host.sessions());
    REQUIRE(all.count("root") == 1);
    REQUIRE(all.count("daemon") == 1);

    // Each user's groups as `id -Gn USER` gives them, independently of the host.
    for (const std::string& group : id_words({"-Gn", "root"})) {
        INFO("group " << group);
        std::set<std::string> expected;
        for (const std::string& user : all)
            if (run_program({"id", user}).exit_code == 0) // NSS knows the user
                for (const std::string& of_user : id_words({"-Gn", user}))
                    if (of_user == group)
                        expected.insert(user);
        CHECK(users_of(host.sessions("?group=" + group)) == expected);
    }
    CHECK(users_of(host.sessions("?group=" + id_words({"-gn", "daemon"}).at(0))) ==
          std::set<std::string>{"daemon"});
    CHECK(users_of(host.sessions("?group=eng")) == std::set<std::string>{"user3"});

    httplib::Client client("127.0.0.1", host.port());
    const auto unknown = client.Get("/api/v1/sessions?group=no-such-group-lmharvest");
    REQUIRE(unknown);
    CHECK(unknown->status == 400);
    CHECK_THAT(unknown->body, Catch::Contains("nor among the system's groups"));
}
