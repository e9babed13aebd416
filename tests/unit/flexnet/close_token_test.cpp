// Close tokens round-trip any field; lmremove argv and outcomes follow the documented forms.
#include "close_token.hpp"
#include "lmremove_outcome.hpp"
#include "lmutil_commands.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::flexnet;

TEST_CASE("close tokens round-trip fields with spaces, colons and digits") {
    CloseTarget user;
    user.form = CloseTarget::Form::user;
    user.feature = "ARC/INFO";
    user.first = "John Doe";
    user.second = "John_D";
    user.third = "\"U,K$`Ct`0'\"C 12:3 iQwgGsne<&!";
    const std::string token = encode_close_token(user);
    const auto back = decode_close_token(token);
    REQUIRE(back);
    CHECK(back->form == CloseTarget::Form::user);
    CHECK(back->feature == user.feature);
    CHECK(back->first == user.first);
    CHECK(back->second == user.second);
    CHECK(back->third == user.third);

    CloseTarget handle{CloseTarget::Form::handle, "f1", "lic1", "27000", "102"};
    CHECK(encode_close_token(handle) == "h2:f14:lic15:270003:102");
    REQUIRE(decode_close_token("h2:f14:lic15:270003:102"));
}

TEST_CASE("malformed close tokens are refused") {
    for (const char* bad :
         {"", "x2:f14:lic15:270003:102", "h2:f14:lic15:270003:10", "h2:f14:lic15:270003:102extra",
          "h0:4:lic15:270003:102", "h99999999999999999999:f", "h2:f1", "h-1:f"})
        CHECK_FALSE(decode_close_token(bad));
}

TEST_CASE("lmremove argv: handle form when the handle is known, user form otherwise") {
    CHECK(lmremove_argv("lmutil", "27000@lic1",
                        {CloseTarget::Form::handle, "f1", "lic1", "27000", "102"}) ==
          std::vector<std::string>{"lmutil", "lmremove", "-c", "27000@lic1", "-h", "f1", "lic1",
                                   "27000", "102"});
    CHECK(lmremove_argv("/opt/lmutil", "a.lic",
                        {CloseTarget::Form::user, "f 1", "John Doe", "ws1", "/dev/tty"}) ==
          std::vector<std::string>{"/opt/lmutil", "lmremove", "-c", "a.lic", "f 1", "John Doe",
                                   "ws1", "/dev/tty"});
    CHECK(lmstat_argv("lmutil", "27000@a,27000@b,27000@c", {"-f", "x"}) ==
          std::vector<std::string>{"lmutil", "lmstat", "-a", "-c", "27000@a,27000@b,27000@c", "-f",
                                   "x"});
}

TEST_CASE("lmremove outcomes map to statuses") {
    CHECK(classify_lmremove(0, "", 120000).status == LH_OK);
    const auto admin = classify_lmremove(193,
                                         "lmutil - Copyright (c) 1989-2019 Flexera.\nYou are not a "
                                         "license administrator. (-63,294)\n",
                                         120000);
    CHECK(admin.status == LH_ERR_PERMISSION);
    CHECK(admin.message == "You are not a license administrator. (-63,294)");
    const auto soon = classify_lmremove(
        1, "lmremove request before the minimum lmremove interval. (-64,10)", 5000);
    CHECK(soon.status == LH_ERR_TOO_SOON);
    CHECK(soon.retry_after_ms == 5000);
    CHECK(classify_lmremove(156, "", 1).status == LH_ERR_LINGERING);
    CHECK(classify_lmremove(1, "Cannot remove a linger license. (-100,1)", 1).status ==
          LH_ERR_LINGERING);
    CHECK(classify_lmremove(215, "Feature was never checked out. (-41,0)", 1).status ==
          LH_ERR_ALREADY_GONE);
    const auto other = classify_lmremove(
        1, "\nCannot connect to license server system. (-15,570:111 \"Connection refused\")\n", 1);
    CHECK(other.status == LH_ERR_GENERIC);
    CHECK(other.message ==
          "Cannot connect to license server system. (-15,570:111 \"Connection refused\")");
    CHECK(classify_lmremove(3, "", 1).message == "lmremove exited with status 3");
    // Exit 0 with an error in the text is still that error.
    CHECK(classify_lmremove(0, "You are not a license administrator. (-63,294)", 1).status ==
          LH_ERR_PERMISSION);
}
