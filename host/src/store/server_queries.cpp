// What the store knows of each server: its last poll, vendors, features and skipped lines.
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

#include <map>

namespace lmharvest {
namespace {

State state_from_string(const std::string& text) {
    if (text == "up")
        return State::up;
    if (text == "down")
        return State::down;
    return State::unknown;
}

std::map<std::string, std::vector<VendorStatus>> vendors_by_server(SQLite::Database& db) {
    SQLite::Statement select(
        db, "SELECT server, name, state, version, message FROM vendors ORDER BY server, name");
    std::map<std::string, std::vector<VendorStatus>> vendors;
    while (select.executeStep())
        vendors[select.getColumn(0).getString()].push_back(
            {select.getColumn(1).getString(), state_from_string(select.getColumn(2).getString()),
             select.getColumn(3).getString(), select.getColumn(4).getString()});
    return vendors;
}

} // namespace

std::vector<ServerRecord> Store::servers() const {
    const auto db = readers_->lease();
    auto vendors = vendors_by_server(*db);
    SQLite::Statement select(*db, R"sql(
SELECT id, adapter, address, last_poll_time, last_ok_time, state, error, latency_ms
FROM servers ORDER BY id
)sql");
    std::vector<ServerRecord> servers;
    while (select.executeStep()) {
        ServerRecord& server = servers.emplace_back();
        server.id = select.getColumn(0).getString();
        server.adapter = select.getColumn(1).getString();
        server.address = select.getColumn(2).getString();
        server.last_poll_time = sql::optional_int64(select.getColumn(3));
        server.last_ok_time = sql::optional_int64(select.getColumn(4));
        server.state = server_state_from_string(select.getColumn(5).getString());
        server.error = select.getColumn(6).getString();
        server.latency_ms = sql::optional_int64(select.getColumn(7));
        server.vendors = std::move(vendors[server.id]);
    }
    return servers;
}

std::vector<FeatureRecord> Store::features(const std::optional<std::string>& server) const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, R"sql(
SELECT server, vendor, feature, version, total, used, reserved, queued, expiry, flags, error,
       updated_at
FROM features WHERE ?1 IS NULL OR server = ?1 ORDER BY server, vendor, feature, version
)sql");
    if (server)
        sql::bind_all(select, *server);
    std::vector<FeatureRecord> features;
    while (select.executeStep()) {
        FeatureRecord& record = features.emplace_back();
        FeatureUsage& usage = record.usage;
        record.server = select.getColumn(0).getString();
        usage.vendor = select.getColumn(1).getString();
        usage.name = select.getColumn(2).getString();
        usage.version = select.getColumn(3).getString();
        usage.total = sql::optional_int64(select.getColumn(4));
        usage.used = select.getColumn(5).getInt64();
        usage.reserved = select.getColumn(6).getInt64();
        usage.queued = select.getColumn(7).getInt64();
        usage.expiry = select.getColumn(8).getString();
        usage.flags = static_cast<uint32_t>(select.getColumn(9).getInt64());
        usage.error_text = select.getColumn(10).getString();
        record.updated_at = select.getColumn(11).getInt64();
    }
    return features;
}

std::vector<SkippedLine> Store::last_skips(std::string_view server) const {
    const auto db = readers_->lease();
    SQLite::Statement select(
        *db, "SELECT line, text, reason FROM poll_skips WHERE server = ? ORDER BY line, rowid");
    sql::bind_all(select, server);
    std::vector<SkippedLine> skips;
    while (select.executeStep())
        skips.push_back({static_cast<uint32_t>(select.getColumn(0).getInt64()),
                         select.getColumn(1).getString(), select.getColumn(2).getString()});
    return skips;
}

} // namespace lmharvest
