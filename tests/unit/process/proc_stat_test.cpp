#include "process/proc_stat.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("a stat line gives comm, ppid, utime + stime and the start time") {
    const auto stat = parse_proc_stat(
        "4242 (octave-cli) S 4100 4242 4100 34816 4242 4194304 9030 0 3 0 1234 567 0 0 20 0 5 0 "
        "123456 1234567890 54321 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 3 0 0 0 0 0");
    REQUIRE(stat);
    CHECK(stat->comm == "octave-cli");
    CHECK(stat->ppid == 4100);
    CHECK(stat->cpu_ticks == 1234 + 567);
    CHECK(stat->start_ticks == 123456);
}

TEST_CASE("a comm with spaces and parentheses ends at the last parenthesis") {
    const auto stat = parse_proc_stat("77 (a) (b ) c) R 1 77 77 0 -1 0 0 0 0 0 10 20 0 0 20 0 1");
    REQUIRE(stat);
    CHECK(stat->comm == "a) (b ) c");
    CHECK(stat->ppid == 1);
    CHECK(stat->cpu_ticks == 30);
    CHECK(stat->start_ticks == 0); // the line ends before field 22: unknown
}

TEST_CASE("bytes that are not UTF-8 in comm are kept as they are") {
    const auto stat = parse_proc_stat("9 (\xff\xfe x) S 2 9 9 0 -1 0 0 0 0 0 1 1 0 0 20 0 1");
    REQUIRE(stat);
    CHECK(stat->comm == "\xff\xfe x");
}

TEST_CASE("a stat line that is cut or garbled is an error naming the field") {
    CHECK(parse_proc_stat("").error() == "stat: no (comm) field");
    CHECK(parse_proc_stat("12 (x").error() == "stat: no (comm) field");
    CHECK(parse_proc_stat("12 (x) S abc 1").error() ==
          "stat: field 4 (ppid) is not a number: 'abc'");
    CHECK(parse_proc_stat("12 (x) S 1 2 3").error() == "stat: field 14 (utime) is not a number");
    CHECK(parse_proc_stat("12 (x) S 1 0 0 0 0 0 0 0 0 0 1 1 0 0 20 0 1 0 1x").error() ==
          "stat: field 22 (starttime) is not a number");
}

TEST_CASE("the uid is the real uid of the Uid line") {
    const auto uid = parse_status_uid("Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\n"
                                      "Uid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n");
    REQUIRE(uid);
    CHECK(*uid == 1000);
    CHECK(parse_status_uid("Name:\tx\n").error() == "status: no Uid line");
    CHECK(parse_status_uid("Uid:\tx\t1\n").error() == "status: Uid is not a number");
}

TEST_CASE("a command line has spaces between its arguments and is bounded") {
    using namespace std::string_literals;
    CHECK(command_line_text("octave-cli\0--no-gui\0-q\0"s, 4096) == "octave-cli --no-gui -q");
    CHECK(command_line_text(""s, 4096).empty());
    CHECK(command_line_text("abc\0def\0"s, 5) == "abc d");
    CHECK(command_line_text("\xff\0x\0"s, 10) == "\xff x");
}
