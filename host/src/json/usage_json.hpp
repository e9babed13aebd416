// The answer of GET /api/v1/usage, streamed: every pool and its points, times in UTC ("Z").
#pragma once

#include "store/store_records.hpp"

#include "json/json_writer.hpp"
#include <optional>
#include <vector>

namespace lmharvest {

struct UsageAnswer {
    int64_t from = 0;
    int64_t to = 0;
    int64_t step_s = 60;
    std::vector<PoolUsage> pools;
    std::vector<std::optional<double>> thresholds; // per pool; nullopt: never harvested
};

/// "2026-12-01T10:00:00Z".
std::string iso8601_utc(int64_t epoch_seconds);

[[nodiscard]] bool write_json(const UsageAnswer& answer, JsonWriter::Sink sink);

} // namespace lmharvest
