#include "agent/recent_projects.hpp"
#include "temp_folder.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace lmharvest::agent;
using lmharvest::test::TempFolder;

TEST_CASE("recent projects: newest first, kept across instances, bounded") {
    const TempFolder dir("recent");
    RecentProjects recent(dir.path);
    CHECK(recent.list().empty());
    REQUIRE(recent.add({{"matlab", "MATLAB", "/a.mat", 1, "idle"}}).has_value());
    REQUIRE(recent.add({{"matlab", "MATLAB", "/b.mat", 2, "idle"}}).has_value());
    const auto two = RecentProjects(dir.path).list();
    REQUIRE(two.size() == 2);
    CHECK(two[0].path == "/b.mat");
    CHECK(two[1].path == "/a.mat");
    CHECK(two[0].why == "idle");
    for (std::size_t i = 0; i < max_recent_projects + 5; ++i)
        REQUIRE(recent.add({{"h", "A", "/p" + std::to_string(i), 3, ""}}).has_value());
    const auto all = recent.list();
    CHECK(all.size() == max_recent_projects);
    CHECK(all.front().path == "/p" + std::to_string(max_recent_projects + 4));
}

TEST_CASE("recent projects: a torn or foreign line is skipped, the others kept") {
    const TempFolder dir("recent");
    std::ofstream(dir.path / "recent.jsonl")
        << "{\"handler\":\"h\",\"app\":\"A\",\"path\":\"/x\",\"saved_time\":5,\"why\":\"w\"}\n"
        << "{\"handler\":\"h\",\"pa\n"
        << "[1,2]\n";
    const auto projects = RecentProjects(dir.path).list();
    REQUIRE(projects.size() == 1);
    CHECK(projects[0].path == "/x");
    CHECK(projects[0].saved_time == 5);
}
