// The JSON form of one poll, as `lmharvest parse --json` prints it (shape fixed by issue 4).
#pragma once

#include "model/snapshot.hpp"

#include <nlohmann/json.hpp>

namespace lmharvest {

nlohmann::json to_json(const PollSnapshot& snapshot);
nlohmann::json to_json(const Session& session);
nlohmann::json to_json(const FeatureUsage& feature);
nlohmann::json to_json(const Denial& denial);

} // namespace lmharvest
