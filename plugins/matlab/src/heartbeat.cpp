#include "heartbeat.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace lmharvest::matlab {

namespace {

// The fields of /proc/PID/stat after "pid (comm)"; comm may hold ')' itself. Empty when gone.
std::vector<std::string> stat_fields(int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!pid || !std::getline(in, stat) || stat.rfind(')') == std::string::npos)
        return {};
    std::istringstream rest(stat.substr(stat.rfind(')') + 1));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;)
        fields.push_back(field);
    return fields;
}

// When `pid` started (to the second), from its start in clock ticks after boot.
std::optional<std::chrono::system_clock::time_point> process_start(int64_t pid) {
    const std::vector<std::string> fields = stat_fields(pid);
    std::ifstream in("/proc/stat");
    long long boot = -1;
    for (std::string key; in >> key;)
        if (key == "btime" && in >> boot)
            break;
    if (fields.size() < 20 || boot < 0) // starttime is field 22, the 20th after comm
        return std::nullopt;
    using namespace std::chrono;
    const double ticks = std::stod(fields[19]) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    return system_clock::time_point(seconds(boot)) +
           duration_cast<system_clock::duration>(duration<double>(ticks));
}

} // namespace

bool process_running(int64_t pid) {
    const std::vector<std::string> fields = stat_fields(pid);
    return !fields.empty() && fields[0] != "Z" && fields[0] != "X";
}

std::optional<std::chrono::milliseconds> heartbeat_age(const std::filesystem::path& mailbox,
                                                       int64_t pid) {
    struct stat info {};
    if (::stat((mailbox / "status").c_str(), &info) != 0)
        return std::nullopt;
    using namespace std::chrono;
    const auto written = system_clock::time_point(duration_cast<system_clock::duration>(
        seconds(info.st_mtim.tv_sec) + nanoseconds(info.st_mtim.tv_nsec)));
    // Left by an earlier process with the same pid (one that died without cleaning up): no
    // extension speaks for this one. The boot time has whole seconds, hence the margin.
    const auto started = process_start(pid);
    if (!started || written < *started - seconds(2))
        return std::nullopt;
    return std::max(milliseconds(0), duration_cast<milliseconds>(system_clock::now() - written));
}

sdk::Activity activity_of(std::optional<std::chrono::milliseconds> age, bool running,
                          std::chrono::milliseconds stale_after) {
    if (!age || !running)
        return sdk::Activity::unknown;
    return *age <= stale_after ? sdk::Activity::waiting : sdk::Activity::busy;
}

} // namespace lmharvest::matlab
