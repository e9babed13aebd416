// A stand-in for FlexNet's `lmutil`, for tests only (never installed).
//
// The license state is a file in real `lmstat -a` format (start from a copy of a fixture), named
// by the environment variable LMUTIL_EMULATOR_STATE:
//   lmutil lmstat -a -c ADDR [...]               prints the state file
//   lmutil lmremove -c ADDR -h F HOST PORT HANDLE removes that checkout
//   lmutil lmremove -c ADDR F USER HOST DISPLAY   removes every checkout of user/host/display
// A removal deletes the user lines and lowers "Total of M licenses in use"; it prints nothing and
// exits 0. Removing a checkout that is not there prints "Feature was never checked out. (-41,0)"
// and exits 215 (lmutil exits 256 + the FLEXlm code; that wording is the FLEXlm error text for
// -41, not a captured lmremove output).
// `<state>.mode`, if present, holds one word that changes behaviour, read on every run:
//   hang       sleep until killed           fail  print an error, exit 1
//   down       print fixture 16 (cannot connect)
// and output that is no answer, each with exit 0:
//   empty      print nothing                header  print the state's first 3 lines
//   random     print 4 KB of random bytes   endless print the state, then user lines forever
//   cut        print the state up to (without) its last user line: cut mid-feature
//   cut_line   print the state up to the middle of its last user line
//   not_admin  lmremove fails with -63      too_soon  with -64      linger  with -100
//   slow_remove  lmremove waits 1 s before it acts (to overlap concurrent closes)
//   too_soon_once  the first lmremove (the first line of `<state>.calls`) fails with -64, later
//                  ones act (a vendor's minimum interval that has passed at the retry)
// Every lmremove appends its arguments as one line to `<state>.calls`, so tests can count them.
#include "lmstat_parser.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using lmharvest::flexnet::LmstatResult;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string read_mode(const std::string& state) {
    std::ifstream in(state + ".mode");
    std::string word;
    in >> word;
    return word;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// "Total of M license(s) in use" -> M - removed, keeping the rest of the line.
void lower_in_use(std::string& users_of, int64_t removed) {
    const size_t total = users_of.rfind("Total of ");
    if (total == std::string::npos)
        return;
    const size_t digits = total + 9;
    const size_t end = users_of.find(' ', digits);
    const int64_t in_use = std::atoll(users_of.substr(digits, end - digits).c_str());
    const int64_t left = in_use > removed ? in_use - removed : 0;
    users_of.replace(digits, end - digits, std::to_string(left));
    const size_t word = users_of.find("license", digits);
    const bool plural = users_of.compare(word, 8, "licenses") == 0;
    if (left == 1 && plural)
        users_of.erase(word + 7, 1);
    else if (left != 1 && !plural)
        users_of.insert(word + 7, 1, 's');
}

int remove_sessions(const std::string& state, const std::vector<std::string>& args) {
    // args: [-h] F a b c
    const bool by_handle = args.size() == 5 && args[0] == "-h";
    if (args.size() != (by_handle ? 5u : 4u)) {
        std::cerr << "lmremove: usage: lmremove [-c file] [-h] feature ...\n";
        return 1;
    }
    const size_t at = by_handle ? 1 : 0;
    const std::string& feature = args[at];
    const std::string text = read_text(state);
    const LmstatResult parsed = lmharvest::flexnet::parse_lmstat(text, 0);
    std::vector<std::string> lines = split_lines(text);
    std::set<uint32_t> doomed;
    for (const auto& session : parsed.sessions) {
        const auto& owner = parsed.features[session.feature_index];
        if (owner.name != feature)
            continue;
        const bool match = by_handle
                               ? session.server_host == args[at + 1] &&
                                     session.port == args[at + 2] && session.handle == args[at + 3]
                               : session.user == args[at + 1] && session.host == args[at + 2] &&
                                     session.display == args[at + 3];
        if (!match)
            continue;
        doomed.insert(session.line);
        lower_in_use(lines[owner.line - 1], session.count);
    }
    if (doomed.empty()) {
        std::cout << "Feature was never checked out. (-41,0)\n";
        return 215;
    }
    const std::string temporary = state + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        for (size_t i = 0; i < lines.size(); ++i)
            if (!doomed.count(static_cast<uint32_t>(i + 1)))
                out << lines[i] << '\n';
    }
    return std::rename(temporary.c_str(), state.c_str()) == 0 ? 0 : 1;
}

// Where the state's last user line begins, and its length.
std::pair<size_t, size_t> last_user_line(const std::string& text) {
    const LmstatResult parsed = lmharvest::flexnet::parse_lmstat(text, 0);
    if (parsed.sessions.empty())
        return {text.size(), 0};
    size_t begin = 0;
    for (uint32_t line = 1; line < parsed.sessions.back().line; ++line)
        begin = text.find('\n', begin) + 1;
    return {begin, text.find('\n', begin) - begin};
}

// The modes whose lmstat output is no answer; false when `mode` is none of them.
bool print_no_answer(const std::string& mode, const std::string& text) {
    if (mode == "empty")
        return true;
    if (mode == "header") {
        size_t end = 0;
        for (int i = 0; i < 3 && end != std::string::npos; ++i)
            end = text.find('\n', end) + 1;
        std::cout << text.substr(0, end);
        return true;
    }
    if (mode == "random") {
        std::mt19937 random(std::random_device{}());
        std::string bytes(4096, '\0');
        for (char& c : bytes)
            c = static_cast<char>(random());
        std::cout << bytes;
        return true;
    }
    const auto [begin, length] = last_user_line(text);
    if (mode == "cut") {
        std::cout << text.substr(0, begin);
        return true;
    }
    if (mode == "cut_line") {
        std::cout << text.substr(0, begin + length / 2);
        return true;
    }
    if (mode == "endless") {
        std::cout << text;
        const std::string line = text.substr(begin, length) + "\n";
        for (;;)
            std::cout << line;
    }
    return false;
}

// Drops "-c ADDR" and returns what follows the subcommand.
std::vector<std::string> operands(int argc, char** argv) {
    std::vector<std::string> rest;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-c" && i + 1 < argc) {
            ++i;
            continue;
        }
        rest.push_back(arg);
    }
    return rest;
}

} // namespace

int main(int argc, char** argv) {
    const char* state = std::getenv("LMUTIL_EMULATOR_STATE");
    if (argc < 2 || !state) {
        std::cerr << "lmutil emulator: set LMUTIL_EMULATOR_STATE and give lmstat or lmremove\n";
        return 2;
    }
    const std::string command = argv[1];
    const std::string mode = read_mode(state);
    if (mode == "hang")
        for (;;)
            std::this_thread::sleep_for(std::chrono::hours(1));
    if (mode == "fail") {
        std::cerr << "lmutil: emulated failure: cannot run\n";
        return 1;
    }
    if (command == "lmstat") {
        if (mode == "down") {
            std::cout << read_text(LMUTIL_DOWN_OUTPUT);
            return 1;
        }
        const std::string text = read_text(state);
        if (!print_no_answer(mode, text))
            std::cout << text;
        return 0;
    }
    if (command != "lmremove") {
        std::cerr << "lmutil emulator: unknown command '" << command << "'\n";
        return 2;
    }
    const bool first_removal = read_text(std::string(state) + ".calls").empty();
    {
        std::ofstream calls(std::string(state) + ".calls", std::ios::app);
        for (int i = 1; i < argc; ++i)
            calls << (i > 1 ? " " : "") << argv[i];
        calls << '\n';
    }
    if (mode == "slow_remove")
        std::this_thread::sleep_for(std::chrono::seconds(1));
    std::cout << "lmutil - Copyright (c) 1989-2024 Flexera. All Rights Reserved. (emulator)\n";
    if (mode == "not_admin") {
        std::cout << "You are not a license administrator. (-63,294)\n";
        return 193;
    }
    if (mode == "too_soon" || (mode == "too_soon_once" && first_removal)) {
        std::cout << "lmremove request before the minimum lmremove interval. (-64,10)\n";
        return 192;
    }
    if (mode == "linger") {
        std::cout << "Cannot remove a linger license. (-100,1)\n";
        return 156;
    }
    return remove_sessions(state, operands(argc, argv));
}
