// `lmharvest parse --json` without a PollSnapshot of every session: each session the plugin
// lends is converted into one reused Session and written to the JSON at once, so a 69k-session
// poll is never held or freed. The other kinds (a few records each, lent in any order) are kept
// until the poll ends and written after the sessions, with the poll's error.
#pragma once

#include "plugins/lent_record_sink.hpp"
#include "text/encoding.hpp"

#include "json/json_writer.hpp"
#include "json/record_shapes.hpp"

namespace lmharvest::cli {

class JsonPollSink {
public:
    /// Begins the poll's JSON object in `writer`, which must outlive the sink; names are
    /// decoded from `encoding` as decode_names() does.
    JsonPollSink(JsonWriter& writer, text::Encoding encoding);

    /// The C sink to pass to poll().
    const lh_poll_sink& c_sink() const { return records_.c_sink(); }
    /// Why a record could not be kept; empty when all were.
    const std::string& failure() const { return records_.failure(); }

    /// Ends the JSON object with the other kinds and, when `poll_error` is not empty, it
    /// (decoded) as "error"; returns the decoded error.
    std::string finish(const std::string& poll_error);

    // The Keeper of LentRecordSink.
    template <class T> T& slot() {
        if constexpr (std::is_same_v<T, Session>)
            return session_;
        else
            return records_of<T>(others_).emplace_back();
    }
    template <class T> void keep(T& record) {
        if constexpr (std::is_same_v<T, Session>)
            write(record);
    }

private:
    void write(Session& session);

    JsonWriter& writer_;
    StreamOut out_;
    text::Encoding encoding_;
    Session session_;     // reused for each lent session
    PollSnapshot others_; // every kind but sessions
    LentRecordSink<JsonPollSink> records_{*this};
};

} // namespace lmharvest::cli
