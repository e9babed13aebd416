#include "lmharvest/text/civil_time.hpp"
#include "lmharvest/text/lines.hpp"
#include "lmharvest/text/scan.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace lmharvest::text;

static std::vector<std::string> all_lines(std::string_view text) {
    std::vector<std::string> lines;
    LineCursor cursor(text);
    std::string_view line;
    while (cursor.next(line))
        lines.emplace_back(line);
    return lines;
}

TEST_CASE("LineCursor strips LF, CRLF and a lone CR, and numbers lines") {
    CHECK(all_lines("a\r\nb\n\nc") == std::vector<std::string>{"a", "b", "", "c"});
    CHECK(all_lines("a\n") == std::vector<std::string>{"a"});
    CHECK(all_lines("").empty());
    LineCursor cursor("x\ny\n");
    std::string_view line;
    REQUIRE(cursor.next(line));
    REQUIRE(cursor.next(line));
    CHECK(line == "y");
    CHECK(cursor.number() == 2);
    CHECK_FALSE(cursor.next(line));
}

TEST_CASE("scan helpers read tokens and integers without surprises") {
    std::string_view s = "  Users of  feature1: ";
    CHECK(next_token(s) == "Users");
    CHECK(next_token(s) == "of");
    CHECK(trim(s) == "feature1:");
    CHECK(to_int("42") == 42);
    CHECK(to_int("-7") == -7);
    CHECK_FALSE(to_int("4x").has_value());
    CHECK_FALSE(to_int("").has_value());
    CHECK_FALSE(to_int("99999999999999999999").has_value());
    std::string_view digits = "123abc";
    int64_t n = 0;
    CHECK(consume_uint(digits, n));
    CHECK(n == 123);
    CHECK(digits == "abc");
    std::string_view largest = "9223372036854775807 left";
    CHECK(consume_uint(largest, n));
    CHECK(n == INT64_MAX);
    CHECK(largest == " left");
    std::string_view too_large = "9223372036854775808";
    CHECK_FALSE(consume_uint(too_large, n));
    CHECK(too_large == "9223372036854775808"); // nothing consumed
}

TEST_CASE("civil time converts both ways and refuses impossible dates") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    const CivilDate date = civil_from_epoch(951782400); // 2000-02-29
    CHECK(date.year == 2000);
    CHECK(date.month == 2);
    CHECK(date.day == 29);
    // ctest runs with TZ=UTC
    CHECK(local_to_epoch(2024, 5, 23, 5, 59) == 1716443940);
    CHECK_FALSE(local_to_epoch(2023, 2, 31, 0, 0).has_value());
    CHECK(local_year(1716443940) == 2024);
    CHECK(month_from_name("DEC") == 12);
    CHECK(month_from_name("jan") == 1);
    CHECK(month_from_name("xyz") == 0);
}

TEST_CASE("local_to_epoch gives the same answers in any call order (its hour cache)") {
    // ctest runs with TZ=UTC, where the answer is plain arithmetic.
    auto utc = [](int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi) {
        return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
    };
    const struct {
        int64_t y;
        unsigned mo, d, h, mi;
    } times[] = {{2024, 5, 23, 5, 59}, {2024, 5, 23, 5, 0},  {2024, 5, 23, 6, 1},
                 {2024, 5, 24, 5, 59}, {2023, 5, 23, 5, 59}, {2024, 5, 23, 5, 30}};
    for (const auto& t : times)
        CHECK(local_to_epoch(t.y, t.mo, t.d, t.h, t.mi) == utc(t.y, t.mo, t.d, t.h, t.mi));
    CHECK_FALSE(local_to_epoch(2023, 2, 29, 5, 0).has_value());
    CHECK(local_to_epoch(2024, 2, 29, 5, 0) == utc(2024, 2, 29, 5, 0));
}
