// The JSON form of one poll, as `lmharvest parse --json` prints it (shape fixed by issue 4;
// the members are in record_shapes.hpp).
#pragma once

#include "model/snapshot.hpp"

#include "json/json_writer.hpp"
#include <nlohmann/json.hpp>

namespace lmharvest {

nlohmann::json to_json(const PollSnapshot& snapshot);
nlohmann::json to_json(const Session& session);
nlohmann::json to_json(const FeatureUsage& feature);
nlohmann::json to_json(const Denial& denial);

/// Streams the same JSON as to_json(snapshot), each server, vendor, feature, session, denial and
/// skipped line on a line of its own; false if the sink refused.
[[nodiscard]] bool write_json(const PollSnapshot& snapshot, JsonWriter::Sink sink);

} // namespace lmharvest
