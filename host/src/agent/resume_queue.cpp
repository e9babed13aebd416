#include "agent/resume_queue.hpp"

#include <algorithm>

namespace lmharvest::agent {

void ResumeQueue::add(SuspendedApp app) {
    const int64_t pid = app.pid;
    entries_[pid] = {std::move(app), ResumeState::suspended, next_order_++};
}

std::optional<SuspendedApp> ResumeQueue::find(int64_t pid) const {
    const auto found = entries_.find(pid);
    if (found == entries_.end())
        return std::nullopt;
    return found->second.app;
}

std::optional<ResumeState> ResumeQueue::state(int64_t pid) const {
    const auto found = entries_.find(pid);
    if (found == entries_.end())
        return std::nullopt;
    return found->second.state;
}

void ResumeQueue::remove(int64_t pid) {
    entries_.erase(pid);
}

void ResumeQueue::wait(int64_t pid) {
    if (const auto found = entries_.find(pid); found != entries_.end())
        found->second.state = ResumeState::waiting;
}

void ResumeQueue::offer(int64_t pid) {
    if (const auto found = entries_.find(pid); found != entries_.end())
        found->second.state = ResumeState::offered;
}

std::vector<const ResumeQueue::Entry*> ResumeQueue::oldest_first() const {
    std::vector<const Entry*> entries;
    for (const auto& [pid, entry] : entries_)
        entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(),
              [](const Entry* a, const Entry* b) { return a->order < b->order; });
    return entries;
}

std::vector<SuspendedApp> ResumeQueue::to_ask() const {
    std::vector<SuspendedApp> apps;
    for (const Entry* entry : oldest_first())
        if (entry->state == ResumeState::waiting)
            apps.push_back(entry->app);
    return apps;
}

std::optional<SuspendedApp> ResumeQueue::using_feature(const std::string& feature) const {
    for (const Entry* entry : oldest_first())
        if (std::find(entry->app.features.begin(), entry->app.features.end(), feature) !=
            entry->app.features.end())
            return entry->app;
    return std::nullopt;
}

std::vector<SuspendedApp>
ResumeQueue::drop_ended(const std::function<bool(const SuspendedApp&)>& runs) {
    std::vector<SuspendedApp> ended;
    for (auto entry = entries_.begin(); entry != entries_.end();) {
        if (runs(entry->second.app)) {
            ++entry;
            continue;
        }
        ended.push_back(std::move(entry->second.app));
        entry = entries_.erase(entry);
    }
    return ended;
}

std::vector<std::pair<SuspendedApp, ResumeState>> ResumeQueue::entries() const {
    std::vector<std::pair<SuspendedApp, ResumeState>> out;
    for (const Entry* entry : oldest_first())
        out.emplace_back(entry->app, entry->state);
    return out;
}

std::vector<std::string> features_without_license(const LicensesAnswer& answer,
                                                  const std::vector<std::string>& wanted) {
    std::vector<std::string> short_of;
    for (const std::string& feature : wanted) {
        const auto found =
            std::find_if(answer.features.begin(), answer.features.end(),
                         [&](const FeatureAvailability& f) { return f.feature == feature; });
        if (found == answer.features.end() || found->pools == 0 ||
            (!found->unlimited && found->free <= 0))
            short_of.push_back(feature);
    }
    return short_of;
}

std::string feature_list(const std::vector<std::string>& features) {
    std::string text;
    for (std::size_t i = 0; i < features.size(); ++i)
        text += (i == 0 ? "" : i + 1 == features.size() ? " and " : ", ") + features[i];
    return text;
}

} // namespace lmharvest::agent
