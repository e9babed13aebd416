// A stand-in for X-Formation's lmxendutil, for tests only (never installed).
//
// State: the file named by LMXENDUTIL_EMULATOR_STATE holds an -licstatxml output (banner lines
// before the XML are allowed). Commands:
//   lmxendutil -licstatxml -host H -port P   prints the banner and the state's XML
//   lmxendutil -licstat -host H -port P      prints the same state in the text layout of the
//                                            real capture fixtures/lmx/01
//   lmxendutil -remove -host H -port P -feature F -user U -clienthost C [-password PW]
//       removes U@C's checkouts of F and lowers USED_LICENSES. This syntax is the emulator's
//       own: LM-X's remove option is not publicly documented (docs/lmx.md). When a file
//       <state>.password exists, the password must match it, given with -password or as the
//       first line of stdin; a wrong one is echoed back in the error, as careless tools do,
//       so that tests can check the adapter hides it.
// A sidecar <state>.mode holding one word changes every command: "hang" (sleeps forever),
// "fail" (prints an error, exits 1), "no_servers" (prints the output of fixtures/lmx/03).
// Others change what -licstat/-licstatxml print, each exiting 0 with output that is no answer:
// "empty" (nothing), "header" (the banner alone), "random" (4 KB of random bytes), "cut" (the
// output up to, without, its last user line: cut mid-feature), "cut_line" (up to the middle
// of that line), "endless" (the output, then its last user line forever).
#include "lmx_state.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>

using namespace lmharvest::lmx::emulator;

namespace {

constexpr const char* banner = "LM-X End-user Utility v3.32\n"
                               "Copyright (C) 2002-2010 X-Formation. All rights reserved.\n\n";

int usage(const std::string& problem) {
    std::cerr << "lmxendutil (emulator): " << problem << "\n";
    return 2;
}

// "-name value" pairs after the command.
std::map<std::string, std::string> options(int argc, char** argv) {
    std::map<std::string, std::string> values;
    for (int i = 2; i + 1 < argc; i += 2)
        values[argv[i]] = argv[i + 1];
    return values;
}

// Where the output's last user line begins, and its length (its end and 0 when it has none).
std::pair<std::size_t, std::size_t> last_user_line(const std::string& output) {
    const std::size_t user = std::min(output.rfind(" license(s) used by "), output.rfind("<USER "));
    if (user == std::string::npos)
        return {output.size(), 0};
    const std::size_t begin = output.rfind('\n', user) + 1;
    return {begin, output.find('\n', begin) - begin};
}

bool is_no_answer_mode(const std::string& mode) {
    for (const char* name : {"empty", "header", "random", "cut", "cut_line", "endless"})
        if (mode == name)
            return true;
    return false;
}

// The modes whose status output is no answer (-remove works as without them).
void print_no_answer(const std::string& mode, const std::string& output) {
    const auto [begin, length] = last_user_line(output);
    if (mode == "header")
        std::cout << banner;
    else if (mode == "random") {
        std::mt19937 random(std::random_device{}());
        std::string bytes(4096, '\0');
        for (char& c : bytes)
            c = static_cast<char>(random());
        std::cout << bytes;
    } else if (mode == "cut")
        std::cout << output.substr(0, begin);
    else if (mode == "cut_line")
        std::cout << output.substr(0, begin + length / 2);
    else if (mode == "endless") {
        std::cout << output;
        const std::string line = output.substr(begin, length) + "\n";
        for (;;)
            std::cout << line;
    }
}

int act_on_mode(const std::string& mode) {
    if (mode == "hang")
        for (;;)
            std::this_thread::sleep_for(std::chrono::hours(1));
    if (mode == "fail") {
        std::cerr << "Error: Connection to license server failed (emulated)\n";
        return 1;
    }
    if (mode == "no_servers") {
        std::cout << banner << "++++++++++++++++++++++++++++++++++++++++\n"
                  << "LM-X license server(s):\n"
                  << "----------------------------------------\n"
                  << "There are no license server(s) available.\n";
        return 0;
    }
    return usage("unknown mode '" + mode + "'");
}

bool password_accepted(const std::string& expected,
                       const std::map<std::string, std::string>& opts) {
    std::string given;
    if (const auto it = opts.find("-password"); it != opts.end())
        given = it->second;
    else
        std::getline(std::cin, given);
    if (given == expected)
        return true;
    std::cerr << "Invalid password '" << given << "'\n";
    return false;
}

int remove_user(LmxState& state, const std::string& path,
                const std::map<std::string, std::string>& opts) {
    for (const char* required : {"-feature", "-user", "-clienthost"})
        if (!opts.count(required))
            return usage(std::string("-remove needs ") + required);
    if (const std::optional<std::string> password = read_sidecar(path, ".password"))
        if (!password_accepted(*password, opts))
            return 1;
    const std::string& feature = opts.at("-feature");
    const std::string& user = opts.at("-user");
    const std::string& host = opts.at("-clienthost");
    if (state.remove(feature, user, host) == 0) {
        std::cerr << "User " << user << "@" << host << " not found for feature " << feature << "\n";
        return 1;
    }
    if (!state.save(path))
        return usage("cannot write state file " + path);
    std::cout << "User " << user << "@" << host << " removed from feature " << feature << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const char* path = std::getenv("LMXENDUTIL_EMULATOR_STATE");
    if (!path)
        return usage("set LMXENDUTIL_EMULATOR_STATE to the state file");
    if (argc < 2)
        return usage("no command");
    const std::optional<std::string> mode = read_sidecar(path, ".mode");
    const std::string command = argv[1];
    const bool no_answer = mode && is_no_answer_mode(*mode);
    if (mode && !no_answer)
        return act_on_mode(*mode);

    LmxState state;
    if (const std::string problem = state.load(path); !problem.empty())
        return usage(problem);
    if (command == "-licstatxml" || command == "-licstat") {
        const std::string output = banner + (command == "-licstat" ? state.text() : state.xml());
        if (no_answer)
            print_no_answer(*mode, output);
        else
            std::cout << output;
        return 0;
    }
    if (command == "-remove")
        return remove_user(state, path, options(argc, argv));
    return usage("unknown command " + command);
}
