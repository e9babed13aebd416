#include "config/duration.hpp"
#include "config/glob.hpp"
#include "config/nearest_name.hpp"
#include "config/threshold.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace std::chrono_literals;

TEST_CASE("durations read every unit and combinations of them") {
    CHECK(parse_duration("500ms").value() == 500ms);
    CHECK(parse_duration("90s").value() == 90s);
    CHECK(parse_duration("20m").value() == 20min);
    CHECK(parse_duration("1h").value() == 1h);
    CHECK(parse_duration("1h30m").value() == 90min);
    CHECK(parse_duration("2d").value() == 48h);
    CHECK(parse_duration("1m30s250ms").value() == 90250ms);
    CHECK(parse_duration("0s").value() == 0ms);
}

TEST_CASE("durations print back as the config writes them, and read back the same") {
    CHECK(format_duration(0ms) == "0s");
    CHECK(format_duration(100ms) == "100ms");
    CHECK(format_duration(24h) == "1d");
    CHECK(format_duration(90250ms) == "1m30s250ms");
    const std::chrono::milliseconds values[] = {1ms, 999ms, 61s, 25h, 24h * 30 + 1ms};
    for (std::chrono::milliseconds value : values)
        CHECK(parse_duration(format_duration(value)).value() == value);
    CHECK(format_range({1s, 24h}) == "1s..1d");
}

TEST_CASE("bad durations say what is wrong and how to fix it") {
    auto error_of = [](std::string_view text) {
        auto duration = parse_duration(text);
        REQUIRE_FALSE(duration.has_value());
        return duration.error();
    };
    CHECK(error_of("60") == "\"60\" has no unit; write \"60s\"");
    CHECK(error_of("1h30") == "\"1h30\" has no unit; write \"1h30s\"");
    CHECK_THAT(error_of("5x"), Catch::StartsWith("\"5x\" has an unknown unit 'x'"));
    CHECK_THAT(error_of("5 m"), Catch::Contains("unknown unit ' m'"));
    CHECK_THAT(error_of("m"), Catch::Contains("is not a duration"));
    CHECK_THAT(error_of("-5s"), Catch::Contains("is not a duration"));
    CHECK_THAT(error_of("1.5h"), Catch::Contains("unknown unit '.'"));
    CHECK_THAT(error_of(""), Catch::Contains("empty duration"));
    CHECK_THAT(error_of("99999999999999999999s"), Catch::Contains("too large"));
    CHECK_THAT(error_of("9999999999999999d"), Catch::Contains("too large"));
}

TEST_CASE("thresholds are shares in 0..1 or percentages") {
    CHECK(check_threshold(0.0).value() == 0.0);
    CHECK(check_threshold(1.0).value() == 1.0);
    CHECK_FALSE(check_threshold(1.5).has_value());
    CHECK_FALSE(check_threshold(-0.1).has_value());
    CHECK(parse_threshold_percent("80%").value() == Approx(0.80));
    CHECK(parse_threshold_percent("100%").value() == Approx(1.0));
    CHECK(parse_threshold_percent("87.5%").value() == Approx(0.875));
    CHECK_THAT(parse_threshold_percent("150%").error(), Catch::Contains("out of range"));
    CHECK_THAT(parse_threshold_percent("%").error(), Catch::Contains("not a percentage"));
    CHECK_THAT(parse_threshold_percent("80 %").error(), Catch::Contains("not a percentage"));
    CHECK_THAT(parse_threshold_percent("0.8").error(), Catch::Contains("without quotes"));
}

TEST_CASE("glob patterns match with * and ?") {
    CHECK(glob_match("MATLAB", "MATLAB"));
    CHECK_FALSE(glob_match("MATLAB", "MATLAB_Distrib"));
    CHECK(glob_match("ArcGIS Pro*", "ArcGIS Pro Advanced"));
    CHECK(glob_match("ArcGIS Pro*", "ArcGIS Pro"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("a*b*c", "aXXbYYc"));
    CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
    CHECK(glob_match("SOLVER_???", "SOLVER_HPC"));
    CHECK_FALSE(glob_match("SOLVER_???", "SOLVER_HP"));
    CHECK(glob_match("*_HPC", "SOLVER_HPC"));
    CHECK_FALSE(glob_match("matlab", "MATLAB"));
    CHECK(has_wildcard("Pro*"));
    CHECK(has_wildcard("A?"));
    CHECK_FALSE(has_wildcard("ARC/INFO"));
}

TEST_CASE("the nearest name is suggested only when it is a likely typo") {
    const std::vector<std::string> keys{"threshold", "max_idle", "dry_run"};
    CHECK(nearest_name("treshold", keys) == "threshold");
    CHECK(nearest_name("max_idel", keys) == "max_idle");
    CHECK(nearest_name("dryrun", keys) == "dry_run");
    CHECK_FALSE(nearest_name("colour", keys).has_value());
    CHECK_FALSE(nearest_name("x", keys).has_value());
}
