#include "json/snapshot_json.hpp"

#include "json/record_shapes.hpp"

namespace lmharvest {

nlohmann::json to_json(const Denial& denial) {
    return DomOut::object_of(denial);
}

nlohmann::json to_json(const FeatureUsage& feature) {
    return DomOut::object_of(feature);
}

nlohmann::json to_json(const Session& session) {
    return DomOut::object_of(session);
}

nlohmann::json to_json(const PollSnapshot& snapshot) {
    return DomOut::object_of(snapshot);
}

bool write_json(const PollSnapshot& snapshot, JsonWriter::Sink sink) {
    JsonWriter writer(std::move(sink), 2); // the top object's arrays, one record per line
    StreamOut(writer).write_object(snapshot);
    return writer.finish();
}

} // namespace lmharvest
