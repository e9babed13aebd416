#include "agent/pop_ups.hpp"

#include "agent/reopen_project.hpp"

#include <spdlog/spdlog.h>

namespace lmharvest::agent {

PopUps::PopUps(AgentConfig config) : config_(std::move(config)) {
    std::lock_guard lock(mutex_);
    connected_locked();
}

bool PopUps::connected_locked() {
    if (notifier_)
        return true;
    auto notifier = Notifier::connect();
    if (!notifier) {
        if (notifier.error() != last_error_)
            spdlog::info("agent: no pop-ups ({}); messages go to this log until a notification "
                         "service answers",
                         notifier.error());
        last_error_ = notifier.error();
        return false;
    }
    if (!last_error_.empty())
        spdlog::info("agent: pop-ups: a notification service answers now");
    notifier_ = std::move(*notifier);
    waiting_ = std::thread([this] { wait_for_clicks(); });
    return true;
}

bool PopUps::takes_clicks() {
    std::lock_guard lock(mutex_);
    return connected_locked();
}

PopUps::~PopUps() {
    stopping_ = true;
    if (waiting_.joinable())
        waiting_.join();
}

void PopUps::tell(const Message& message) {
    spdlog::info("agent: tell the user: {} {}", message.summary, message.body);
    // The lock covers the show, so that a click cannot come before its project is known.
    std::lock_guard lock(mutex_);
    if (!connected_locked())
        return;
    Notification notification{message.summary, message.body, {}};
    if (message.reopen)
        notification.actions = {{"default", "Reopen"}};
    else if (message.resume)
        notification.actions = {{"default", "Resume"}};
    auto id = notifier_->show(notification);
    if (!id) {
        spdlog::warn("agent: pop-up: {}", id.error());
        return;
    }
    if (message.reopen)
        reopens_[*id] = *message.reopen;
    else if (message.resume)
        resumes_[*id] = *message.resume;
}

void PopUps::on_resume(std::function<void(int64_t)> resume) {
    std::lock_guard lock(mutex_);
    resume_ = std::move(resume);
}

void PopUps::wait_for_clicks() {
    while (!stopping_)
        notifier_->wait_for_actions(
            std::chrono::seconds(1),
            [this](uint32_t id, const std::string& key) { clicked(id, key); });
}

void PopUps::clicked(uint32_t id, const std::string& key) {
    if (key != "default")
        return;
    RecentProject project;
    {
        std::unique_lock lock(mutex_);
        if (const auto resume = resumes_.find(id); resume != resumes_.end()) {
            const int64_t pid = resume->second;
            resumes_.erase(resume);
            const auto resume_app = resume_;
            lock.unlock(); // the agent's resume asks the host and may tell the user again
            spdlog::info("agent: pop-up clicked: resume pid {}", pid);
            if (resume_app)
                resume_app(pid);
            return;
        }
        const auto found = reopens_.find(id);
        if (found == reopens_.end())
            return;
        project = found->second;
        reopens_.erase(found);
    }
    spdlog::info("agent: pop-up clicked: reopening {} ({})", project.path, project.app);
    if (auto opened = reopen_project(config_, project); !opened)
        spdlog::warn("agent: reopen {}: {}", project.path, opened.error());
}

} // namespace lmharvest::agent
