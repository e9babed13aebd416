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
#include "lmx_state.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
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
    if (const std::optional<std::string> mode = read_sidecar(path, ".mode"))
        return act_on_mode(*mode);

    LmxState state;
    if (const std::string problem = state.load(path); !problem.empty())
        return usage(problem);
    const std::string command = argv[1];
    if (command == "-licstatxml") {
        std::cout << banner << state.xml();
        return 0;
    }
    if (command == "-licstat") {
        std::cout << banner << state.text();
        return 0;
    }
    if (command == "-remove")
        return remove_user(state, path, options(argc, argv));
    return usage("unknown command " + command);
}
