// What one lmxendutil output holds, as plugin-side records. They mirror the SDK's
// lh_server_status, lh_vendor_status, lh_feature and lh_session; the plugin lends them to the
// host one at a time.
//
// Text fields are views, so that reading an output copies none of it: text as printed views the
// output given to the parser (the text form) or LmxResult::xml_text (the XML form); text the
// parser derives views LmxResult::derived_text. A result is valid while the output it was read
// from lives.
#pragma once

#include <cstdint>
#include <lmharvest/records.h>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace lmharvest::lmx {

/// LM-X prints this many licenses for a feature without a limit (INT32_MAX).
inline constexpr int64_t unlimited_licenses = 2147483647;

struct LmxServer {
    std::string_view host; // "licserv0013.com"
    int64_t port = 0;      // 6200; 0 when not known
    int32_t state = LH_STATE_UNKNOWN;
    std::string_view version; // always with a leading "v": "v5.1"
    std::string_view uptime;  // as printed: "3 day(s) 12 hour(s) 0 min(s) 51 sec(s)"
    std::string_view message; // why it is down, as the tool said it
};

struct LmxVendor {
    std::string_view name;
    int32_t state = LH_STATE_UNKNOWN;
};

struct LmxFeature {
    std::string_view vendor;
    std::string_view name;
    std::string_view version;
    int64_t total = -1; // 2147483647 is kept as is, with LH_FEATURE_UNLIMITED
    int64_t used = 0;
    std::string_view start;  // as printed: "2022-02-17", "NONE"
    std::string_view expiry; // as printed: "2023-01-31"
    std::string_view share;  // sharing words, space separated: "CUSTOM VIRTUAL"
    uint32_t flags = 0;      // LH_FEATURE_*
    std::string_view server; // "licserv0013.com/6200"; empty when the output names no server
};

struct LmxSession {
    std::string_view vendor;
    std::string_view feature;
    std::string_view version;
    std::string_view user;
    std::string_view host;
    std::string_view host_ip;
    int64_t count = 1;
    std::string_view login_text;    // as printed: "2022-02-18 09:26"
    std::string_view checkout_text; // as printed; part of the close token
    int64_t login_time = 0;         // epoch seconds from the local wall-clock text; 0 unknown
    int64_t checkout_time = 0;
    int64_t borrow_expiry = 0;
    std::string_view share_kind;  // "custom", "hostname", "username", ... ("Shared on <kind>:")
    std::string_view share_value; // "VRAAFG:RD0082879"
    std::string_view server;      // "licserv0013.com/6200"
    std::string close_token;      // see close_token.hpp
};

/// A line (text output) or element (XML) that could not be read.
struct LmxSkipped {
    uint32_t line = 0; // 1-based line in the whole output (banner included)
    std::string text;  // the line or the element's start tag, cut to a readable length
    std::string reason;
};

enum class LmxFormat { text, xml };

struct LmxResult {
    /// False when the output could not be read at all (malformed XML, no XML in XML mode);
    /// `error` says why. Records read before the failure are dropped.
    bool ok = true;
    std::string error;
    LmxFormat format = LmxFormat::text;
    /// Why an output that was read is no poll's answer all the same: it shows no server (no
    /// "LM-X License Server on" header, no LICENSE_PATH), or it was cut short. Empty when it
    /// is one. The records are kept, for `lmharvest parse` to show.
    std::string unusable;
    /// Set when the tool says it reached no server ("There are no license server(s)
    /// available."): the adapter reports its server as down with this message.
    std::string unavailable;
    std::vector<LmxServer> servers;
    std::vector<LmxVendor> vendors; // each vendor once, in order of first appearance
    std::vector<LmxFeature> features;
    std::vector<LmxSession> sessions;
    std::vector<LmxSkipped> skipped;

    /// What the XML form's views point into: pugixml decodes the values in place, in this copy.
    std::unique_ptr<char[]> xml_text;
    /// Text the parser made rather than found ("v5.1", "licserv0013.com/6200", "custom"),
    /// each once; nodes do not move, so views of them stay valid when the result moves.
    std::unordered_set<std::string> derived_text;

    LmxResult() = default;
    // Moves only: a copy's views would point into the original's storage.
    LmxResult(LmxResult&&) = default;
    LmxResult& operator=(LmxResult&&) = default;

    /// `text` kept in derived_text, as a view that lives as long as this result.
    std::string_view keep(std::string text) { return *derived_text.insert(std::move(text)).first; }
};

} // namespace lmharvest::lmx
