#include "cli/json_poll_sink.hpp"

#include "model/decode_names.hpp"

namespace lmharvest::cli {

JsonPollSink::JsonPollSink(JsonWriter& writer, text::Encoding encoding)
    : writer_(writer), out_(writer), encoding_(encoding) {
    writer_.begin_object();
    writer_.key("sessions");
    writer_.begin_array();
}

void JsonPollSink::write(Session& session) {
    decode_names(session, encoding_);
    out_.write_object(session);
}

std::string JsonPollSink::finish(const std::string& poll_error) {
    writer_.end_array();
    others_.ok = poll_error.empty();
    others_.error = poll_error;
    decode_names(others_, encoding_);
    describe_beside_sessions(out_, others_);
    writer_.end_object();
    return others_.error;
}

} // namespace lmharvest::cli
