#include "config/config_sections.hpp"

namespace lmharvest {
namespace {

using namespace std::chrono_literals;

// Faster than every 10 s is load without news; an hour makes "silent" take 3 hours to notice.
constexpr DurationRange report_every_range{10s, 1h};
// An hour keeps a workstation that reboots; a year is as good as never.
constexpr DurationRange forget_after_range{1h, 24h * 365};

} // namespace

AgentsConfig read_agents(TableReader& root) {
    AgentsConfig agents;
    const toml::table* table = root.get_table("agents");
    if (table == nullptr)
        return agents;
    TableReader reader(*table, "agents", root.errors());
    agents.report_every =
        reader.get_duration("report_every", report_every_range).value_or(agents.report_every);
    agents.forget_after =
        reader.get_duration("forget_after", forget_after_range).value_or(agents.forget_after);
    reader.reject_unknown_keys();
    return agents;
}

} // namespace lmharvest
