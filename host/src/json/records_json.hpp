// JSON of what the store holds, as the REST API and `lmharvest sessions --json` print it.
#pragma once

#include "store/session_rows.hpp"
#include "store/store_records.hpp"

#include "json/json_writer.hpp"
#include <nlohmann/json.hpp>

namespace lmharvest {

nlohmann::json to_json(const SessionRecord& record);
nlohmann::json to_json(const ServerRecord& record);
nlohmann::json to_json(const FeatureRecord& record);
nlohmann::json to_json(const Action& action);
nlohmann::json to_json(const DenialRecord& record);
/// Streams the same JSON as to_json_array(records), one record per line; false if the sink
/// refused.
[[nodiscard]] bool write_json(const std::vector<SessionRecord>& records, JsonWriter::Sink sink);
/// The same JSON, each row written as `rows` reads it; stops when the sink refuses. Throws what
/// rows.next() throws.
[[nodiscard]] bool write_json(SessionRows& rows, JsonWriter::Sink sink);
/// `with_user`: a row of usage_by_feature_and_user() rather than usage_by_feature().
nlohmann::json to_json(const FeatureUse& use, bool with_user);

template <class Record> nlohmann::json to_json_array(const std::vector<Record>& records) {
    nlohmann::json array = nlohmann::json::array();
    for (const Record& record : records)
        array.push_back(to_json(record));
    return array;
}

} // namespace lmharvest
