// The close command template, password substitution, and what a finished run means.
#include "close_command.hpp"
#include "close_outcome.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace lmharvest::lmx;

namespace {

const CloseFields fields{"HyperWorks", "21.0", "sssaah", "RD0082406", "lic1", "6200", "ALTAIR"};

sdk::ProcessOutput finished(int exit_code, std::string out, std::string err = {}) {
    sdk::ProcessOutput run;
    run.exit_code = exit_code;
    run.out = std::move(out);
    run.err = std::move(err);
    return run;
}

} // namespace

TEST_CASE("templates with unknown placeholders or open braces are refused") {
    CHECK_FALSE(close_template_problem({"lmxendutil", "-feature", "{feature}", "{{x}}"}));
    CHECK(close_template_problem({}));
    CHECK(close_template_problem({""}));
    CHECK(*close_template_problem({"tool", "{users}"}) ==
          "unknown placeholder {users}; known: {feature} {version} {user} {host} {server_host} "
          "{port} {vendor} {password}");
    CHECK(close_template_problem({"tool", "-x{feature"}));
}

TEST_CASE("every placeholder is filled, inside an element too, and braces can be literal") {
    const std::vector<std::string> argv = {
        "tool",     "{feature}",      "{version}",  "{user}@{host}", "{server_host}:{port}",
        "{vendor}", "-pw={password}", "{{literal}}"};
    CHECK(expand_close_command(argv, fields, "s3cret") ==
          std::vector<std::string>{"tool", "HyperWorks", "21.0", "sssaah@RD0082406", "lic1:6200",
                                   "ALTAIR", "-pw=s3cret", "{literal}"});
    CHECK(close_template_uses_password(argv));
    CHECK_FALSE(close_template_uses_password({"tool", "{user}"}));
}

TEST_CASE("values are substituted as they are, never re-expanded") {
    CloseFields tricky = fields;
    tricky.user = "{password}";
    CHECK(expand_close_command({"t", "{user}"}, tricky, "s3cret") ==
          std::vector<std::string>{"t", "{password}"});
}

TEST_CASE("a finished close command maps to a status") {
    CHECK(close_outcome(finished(0, ""), "tool", "").status == LH_OK);

    const sdk::CloseOutcome gone =
        close_outcome(finished(1, "", "User sssaah@RD0082406 not found\n"), "tool", "");
    CHECK(gone.status == LH_ERR_ALREADY_GONE);
    CHECK(gone.message == "lmx: session already gone: User sssaah@RD0082406 not found");

    const sdk::CloseOutcome failed = close_outcome(finished(3, "Access\n  denied\n"), "tool", "");
    CHECK(failed.status == LH_ERR_GENERIC);
    CHECK(failed.message == "lmx: close command 'tool' exited with 3: Access denied");

    sdk::ProcessOutput timed_out;
    timed_out.status = LH_ERR_TIMEOUT;
    CHECK(close_outcome(timed_out, "tool", "").status == LH_ERR_TIMEOUT);
    sdk::ProcessOutput not_started;
    not_started.status = LH_ERR_SPAWN;
    CHECK(close_outcome(not_started, "tool", "").status == LH_ERR_SPAWN);
}

TEST_CASE("the password never appears in a close message") {
    const std::string password = "Not Found s3cret";
    const sdk::CloseOutcome echoed =
        close_outcome(finished(1, "", "Invalid password '" + password + "'"), password, password);
    CHECK(echoed.status == LH_ERR_GENERIC); // the password reading "not found" does not count
    CHECK(echoed.message.find("s3cret") == std::string::npos);
    CHECK(echoed.message == "lmx: close command '***' exited with 1: Invalid password '***'");
    CHECK(redact("a-pw-b-pw", "pw") == "a-***-b-***");
    CHECK(redact("text", "") == "text");
}

TEST_CASE("a password the tool echoes where the message is cut is masked before the cut") {
    const std::string password = "Zq9Kp2WmR7tX4vB8nLc5"; // 20 characters
    // 282 characters of words before it: the 300-character cut lands inside the password.
    const std::string echo = std::string(281, 'w') + " " + password + " was refused";
    const sdk::CloseOutcome outcome = close_outcome(finished(1, "", echo), "tool", password);
    CHECK(outcome.status == LH_ERR_GENERIC);
    for (std::size_t length = 4; length <= password.size(); ++length)
        CHECK(outcome.message.find(password.substr(0, length)) == std::string::npos);
    CHECK_THAT(outcome.message, Catch::Contains(" ***"));
}

TEST_CASE("a password with blanks is masked before the tool's blanks are collapsed") {
    const std::string password = "two  spaces";
    const sdk::CloseOutcome outcome =
        close_outcome(finished(1, "", "bad password " + password + "\n"), "tool", password);
    CHECK(outcome.message == "lmx: close command 'tool' exited with 1: bad password ***");
}
