#include "service/manual_close.hpp"

#include <algorithm>

namespace lmharvest {

PlanEntry manual_close_entry(const Store& store, const SessionRecord& record,
                             const std::string& reason, int64_t now) {
    const std::vector<PlanEntry> plan = store.harvest_plan(record.server);
    const auto planned = std::find_if(
        plan.begin(), plan.end(), [&](const PlanEntry& e) { return e.session_id == record.id; });
    PlanEntry entry;
    if (planned != plan.end()) {
        entry = *planned;
    } else {
        const Session& s = record.session;
        entry.server = record.server;
        entry.vendor = s.vendor;
        entry.feature = s.feature;
        entry.version = s.version;
        entry.session_id = record.id;
        entry.user = s.user;
        entry.host = s.host;
        entry.count = s.count;
        for (const FeatureRecord& f : store.features(record.server))
            if (f.usage.vendor == s.vendor && f.usage.name == s.feature) {
                entry.used = f.usage.used;
                entry.total = f.usage.total;
            }
    }
    entry.time = now;
    entry.close = true;
    entry.reason = reason;
    entry.on_no_handler = "skip";
    return entry;
}

} // namespace lmharvest
