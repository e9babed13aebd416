// Seeded mutation fuzzing of the lmstat and debug-log parsers over the real captures, built with
// AddressSanitizer and UBSan: byte flips, line duplication, deletion and truncation, and lines
// spliced in from other captures; the JSON writers run over every input and parsed field. Runs for
// a bounded time; any crash or sanitizer report fails.
//   flexnet_fuzz [seconds=20] [seed=1]
#include "debuglog_parser.hpp"
#include "json_fuzz_check.hpp"
#include "lmstat_parser.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace lmharvest::flexnet;

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::vector<std::string> corpus() {
    std::vector<std::string> files;
    for (const char* dir : {"flexnet", "flexnet/debuglog"})
        for (const auto& entry : fs::directory_iterator(std::string(LH_FIXTURES_DIR) + "/" + dir))
            if (entry.is_regular_file() && entry.path().extension() != ".md" &&
                entry.path().extension() != ".json") {
                std::ifstream in(entry.path(), std::ios::binary);
                std::ostringstream text;
                text << in.rdbuf();
                files.push_back(text.str());
            }
    return files;
}

std::string mutate(const std::vector<std::string>& files, std::mt19937_64& random) {
    auto pick = [&](size_t n) { return static_cast<size_t>(random() % (n ? n : 1)); };
    std::vector<std::string> lines = split_lines(files[pick(files.size())]);
    const int rounds = 1 + static_cast<int>(pick(8));
    for (int round = 0; round < rounds && !lines.empty(); ++round) {
        std::string& line = lines[pick(lines.size())];
        switch (pick(7)) {
        case 0: // byte flips
            for (int i = 0; i < 3 && !line.empty(); ++i)
                line[pick(line.size())] = static_cast<char>(random());
            break;
        case 1: // duplicate
            lines.insert(lines.begin() + static_cast<long>(pick(lines.size())), line);
            break;
        case 2: // delete
            lines.erase(lines.begin() + static_cast<long>(pick(lines.size())));
            break;
        case 3: // truncate
            line.resize(pick(line.size() + 1));
            break;
        case 4: { // splice from another capture
            const auto other = split_lines(files[pick(files.size())]);
            if (!other.empty())
                lines.insert(lines.begin() + static_cast<long>(pick(lines.size())),
                             other[pick(other.size())]);
            break;
        }
        case 5: // digits grow huge, to find overflows
            for (char& c : line)
                if (c >= '0' && c <= '9')
                    c = '9';
            line += std::string(pick(30), '9');
            break;
        default: // CR inside
            line.insert(pick(line.size() + 1), "\r");
        }
    }
    std::string text;
    for (const std::string& line : lines)
        text += line + (pick(4) ? "\n" : "\r\n");
    if (pick(3) == 0 && !text.empty())
        text.pop_back(); // no final newline
    return text;
}

size_t count_lines(const std::string& text) {
    size_t lines = 0;
    for (char c : text)
        lines += c == '\n';
    return lines + 1;
}

void fail(const char* what, uint64_t iteration) {
    std::fprintf(stderr, "invariant broken at iteration %llu: %s\n",
                 static_cast<unsigned long long>(iteration), what);
    std::exit(1);
}

void check(const std::string& input, uint64_t iteration) {
    const LmstatResult result = parse_lmstat(input, 1767225600);
    const size_t lines = count_lines(input);
    for (const SkippedLine& skipped : result.skipped)
        if (skipped.line == 0 || skipped.line > lines || skipped.reason.empty())
            fail("skipped line number out of range", iteration);
    for (const Feature& feature : result.features)
        if (feature.used < 0 || feature.reserved < 0 || feature.queued < 0 || feature.name.empty())
            fail("feature figures negative or nameless", iteration);
    std::vector<std::string_view> fields;
    for (const Session& session : result.sessions) {
        if (session.feature_index >= result.features.size() || session.count < 0 ||
            session.handle.empty())
            fail("session without a feature, count or handle", iteration);
        fields.insert(fields.end(), {session.user, session.host, session.display, session.version});
    }
    if (const char* problem = lmharvest::testing::json_writers_problem(input, fields))
        fail(problem, iteration);

    DebugLogReader reader(DebugClock::at(1767225600));
    std::istringstream in(input);
    for (std::string line; std::getline(in, line);)
        if (const auto event = reader.read(line);
            event && (event->feature.empty() || event->count < 0))
            fail("debug event without feature or with negative count", iteration);
    if (reader.clock().month > 12 || reader.clock().day > 31)
        fail("debug clock out of range", iteration);
}

} // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 20.0;
    const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    const std::vector<std::string> files = corpus();
    if (files.size() < 20) {
        std::fprintf(stderr, "fixtures not found under %s\n", LH_FIXTURES_DIR);
        return 1;
    }
    std::mt19937_64 random(seed);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    uint64_t iteration = 0;
    for (; std::chrono::steady_clock::now() < deadline; ++iteration)
        check(mutate(files, random), iteration);
    std::printf("flexnet_fuzz: %llu inputs, seed %llu, no crash\n",
                static_cast<unsigned long long>(iteration), static_cast<unsigned long long>(seed));
    return 0;
}
