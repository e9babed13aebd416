// Users' groups through the real NSS of this machine (compared with `id -Gn USER`), merged
// with [groups], cached for groups_ttl, and accepted by the config's group names.
#include "config/config.hpp"
#include "config/group_directory.hpp"
#include "config/system_groups.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <sstream>

using namespace lmharvest;

namespace {

// What a shell command prints, split into words.
std::vector<std::string> words_of(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr)
        out += buffer.data();
    std::istringstream in(out);
    std::vector<std::string> words;
    for (std::string word; in >> word;)
        words.push_back(word);
    return words;
}

std::vector<std::string> sorted(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    return names;
}

Config nss_config(const std::string& extra = "") {
    auto config = load_config_string("[host]\ngroups_from = \"nss\"\n" + extra, "test.toml");
    REQUIRE(config);
    return *config;
}

} // namespace

TEST_CASE("a user's system groups are the ones `id -Gn` prints, for every user NSS lists") {
    const std::vector<std::string> users = words_of("getent passwd | cut -d: -f1");
    REQUIRE(std::find(users.begin(), users.end(), "root") != users.end());
    for (const std::string& user : users) {
        INFO(user);
        const auto groups = system_groups_of(user);
        REQUIRE(groups);
        CHECK(sorted(*groups) == sorted(words_of("id -Gn " + user)));
        for (const std::string& group : *groups)
            CHECK(system_group_exists(group));
    }
    CHECK_FALSE(system_groups_of("no-such-user-lmharvest"));
    CHECK_FALSE(system_group_exists("no-such-group-lmharvest"));
}

TEST_CASE("with groups_from = \"nss\", the system's groups are merged into [groups]") {
    const std::string me = words_of("id -un").at(0);
    const Config config = nss_config("[groups]\neng = [\"alice\"]\n");
    GroupDirectory directory;
    const Groups groups = directory.merged(config, {"alice", me, "root"});
    CHECK(groups.at("eng") == std::vector<std::string>{"alice"});
    for (const std::string& group : words_of("id -Gn " + me)) {
        INFO(group);
        const std::vector<std::string>& members = groups.at(group);
        CHECK(std::find(members.begin(), members.end(), me) != members.end());
    }
    for (const std::string& group : words_of("id -Gn root")) {
        const std::vector<std::string>& members = groups.at(group);
        CHECK(std::find(members.begin(), members.end(), "root") != members.end());
    }
    CHECK(directory.known(config, "eng"));
    CHECK(directory.known(config, words_of("id -gn root").at(0)));
    CHECK_FALSE(directory.known(config, "no-such-group-lmharvest"));

    auto plain = load_config_string("[groups]\neng = [\"alice\"]\n", "test.toml");
    REQUIRE(plain);
    CHECK(directory.merged(*plain, {"alice", me, "root"}) == plain->groups);
    CHECK_FALSE(directory.known(*plain, words_of("id -gn root").at(0)));
}

TEST_CASE("a user's system groups are cached for groups_ttl") {
    auto now = std::chrono::steady_clock::time_point{};
    int lookups = 0;
    GroupDirectory directory([&] { return now; },
                             [&](const std::string&) {
                                 ++lookups;
                                 return std::vector<std::string>{"g" + std::to_string(lookups)};
                             });
    const Config config = nss_config("groups_ttl = \"5m\"\n");
    REQUIRE(config.host.groups_ttl == std::chrono::minutes(5));
    CHECK(directory.merged(config, {"alice"}).at("g1") == std::vector<std::string>{"alice"});
    now += std::chrono::minutes(4);
    CHECK(directory.merged(config, {"alice"}).count("g1") == 1);
    CHECK(lookups == 1);
    now += std::chrono::minutes(2);
    const Groups later = directory.merged(config, {"alice"});
    CHECK(lookups == 2);
    CHECK(later.count("g2") == 1);
    CHECK(later.count("g1") == 0);
}

TEST_CASE("with groups_from = \"nss\", harvest may name system groups; unknown ones are errors") {
    const std::string root_group = words_of("id -gn root").at(0);
    const std::string harvest = "[harvest]\nexclude_groups = [\"" + root_group +
                                "\"]\n[[harvest.rules]]\nfeatures = [\"*\"]\ngroups = [\"" +
                                root_group + "\"]\n";
    CHECK(load_config_string("[host]\ngroups_from = \"nss\"\n" + harvest, "test.toml"));
    const auto without = load_config_string(harvest, "test.toml");
    REQUIRE_FALSE(without);
    CHECK_THAT(without.error().at(0).to_string(), Catch::Contains("unknown group \"" + root_group));

    const auto unknown =
        load_config_string("[host]\ngroups_from = \"nss\"\n[harvest]\nexclude_groups = "
                           "[\"no-such-group-lmharvest\"]\n",
                           "test.toml");
    REQUIRE_FALSE(unknown);
    CHECK_THAT(unknown.error().at(0).to_string(),
               Catch::Contains("test.toml:4:19: harvest.exclude_groups[0]: unknown group "
                               "\"no-such-group-lmharvest\"; define it in [groups] (or as a "
                               "system group) or remove it"));

    const auto bad =
        load_config_string("[host]\ngroups_from = \"ldap\"\ngroups_ttl = \"0s\"\n", "test.toml");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error().size() == 2);
    CHECK_THAT(bad.error().at(0).to_string(), Catch::Contains("host.groups_from"));
    CHECK_THAT(bad.error().at(1).to_string(), Catch::Contains("host.groups_ttl"));
}
