#include "json/usage_json.hpp"

#include <cmath>
#include <ctime>

namespace lmharvest {

std::string iso8601_utc(int64_t epoch_seconds) {
    const std::time_t time = static_cast<std::time_t>(epoch_seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[32];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return std::string(text, length);
}

bool write_json(const UsageAnswer& answer, JsonWriter::Sink sink) {
    JsonWriter writer(std::move(sink), 2); // one point per line
    writer.begin_object();
    writer.field("from", iso8601_utc(answer.from));
    writer.field("to", iso8601_utc(answer.to));
    writer.field("step_s", answer.step_s);
    writer.key("pools");
    writer.begin_array();
    for (std::size_t i = 0; i < answer.pools.size(); ++i) {
        const PoolUsage& pool = answer.pools[i];
        writer.begin_object();
        writer.field("server", pool.server);
        writer.field("vendor", pool.vendor);
        writer.field("feature", pool.feature);
        writer.field("version", pool.version);
        writer.field("threshold",
                     i < answer.thresholds.size() ? answer.thresholds[i] : std::optional<double>());
        writer.key("points");
        writer.begin_array();
        for (const UsagePoint& point : pool.points) {
            writer.begin_object();
            writer.field("time", iso8601_utc(point.time));
            writer.field("used_min", point.used_min);
            writer.field("used_max", point.used_max);
            // Three decimals are more than a graph shows.
            writer.field("used_mean", std::round(point.used_mean * 1000) / 1000);
            writer.field("total", point.total);
            writer.end_object();
        }
        writer.end_array();
        writer.end_object();
    }
    writer.end_array();
    writer.end_object();
    return writer.finish();
}

} // namespace lmharvest
