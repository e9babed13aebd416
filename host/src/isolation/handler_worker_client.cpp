#include "isolation/handler_worker_client.hpp"

#include "isolation/handler_wire.hpp"
#include "isolation/worker_call.hpp"

#include <map>
#include <mutex>
#include <spdlog/spdlog.h>

namespace lmharvest::isolation {
namespace {

using namespace std::chrono_literals;
using agent::HandlerActivity;
using agent::ProcessFacts;
using Projects = std::vector<SavedProject>;

// A handler answers "is this your app" from what it is told; far more than that is a hang.
constexpr auto question_limit = 5s;
constexpr std::size_t max_answer = 4u << 20;

class HandlerWorkerClient final : public agent::HandlerInstance {
public:
    HandlerWorkerClient(const std::filesystem::path& plugin_file, agent::HandlerSettings settings,
                        WorkerSettings worker)
        : settings_(std::move(settings)), worker_(std::move(worker)) {
        Writer out;
        encode(plugin_file.string(), settings_, static_cast<int>(spdlog::get_level()), out);
        create_request_ = std::move(out.bytes());
    }

    // Starts a worker and creates the handler in it.
    Expected<void> start() {
        auto process = WorkerProcess::start(worker_);
        if (!process)
            return unexpected(process.error());
        process_ = std::move(*process);
        auto reply = call({FrameType::handler_create, FrameType::handler_created, "create",
                           question_limit + 25s, max_answer},
                          create_request_);
        if (!reply)
            return unexpected(reply.error());
        Reader in(*reply);
        HandlerCreated created;
        if (!decode(in, created) || !created.error.empty()) {
            process_.reset();
            return unexpected(created.error.empty() ? "the worker's create reply is garbled"
                                                    : created.error);
        }
        unread_ = std::move(created.unread_keys);
        can_save_ = created.can_save, can_reopen_ = created.can_reopen;
        return {};
    }

    const std::string& name() const override { return settings_.name; }
    const agent::HandlerSettings& settings() const { return settings_; }
    bool can_save() const override { return can_save_; }
    bool can_reopen() const override { return can_reopen_; }
    std::vector<std::string> unread_keys() const override { return unread_; }

    std::vector<std::string> features(const ProcessFacts& process) override {
        // A save-and-close holds the worker: answer without waiting (asked per process).
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock()) {
            std::lock_guard known(known_mutex_);
            const auto last = known_.find(process.pid);
            return last == known_.end() ? std::vector<std::string>{} : last->second;
        }
        Writer out;
        out.u8(static_cast<uint8_t>(HandlerCall::features));
        encode(process, out);
        std::vector<std::string> features;
        const auto reply = ask(out.bytes(), "features", question_limit);
        const std::string bytes = reply ? *reply : std::string();
        Reader in(bytes);
        if (reply && !decode(in, features)) {
            features.clear();
            garbled("features");
        }
        std::lock_guard known(known_mutex_);
        if (features.empty())
            known_.erase(process.pid);
        else
            known_[process.pid] = features;
        return features;
    }

    HandlerActivity activity(const ProcessFacts& process) override {
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock())
            return HandlerActivity::unknown;
        Writer out;
        out.u8(static_cast<uint8_t>(HandlerCall::activity));
        encode(process, out);
        auto reply = ask(out.bytes(), "activity", question_limit);
        if (!reply)
            return HandlerActivity::unknown;
        Reader in(*reply);
        const uint8_t state = in.u8();
        if (in.ok() && state <= static_cast<uint8_t>(HandlerActivity::busy))
            return static_cast<HandlerActivity>(state);
        garbled("activity");
        return HandlerActivity::unknown;
    }

    Expected<Projects> save_and_close(int64_t pid, std::chrono::milliseconds deadline,
                                      const std::string& reason) override {
        if (!can_save_)
            return unexpected("handler '" + name() + "' cannot save and close");
        std::lock_guard lock(mutex_);
        Writer out;
        out.u8(static_cast<uint8_t>(HandlerCall::save_and_close));
        out.i64(pid), out.i64(deadline.count()), out.text(reason);
        // The worker gives up at agent_share(deadline) and still answers; past 19/20 of the
        // host's deadline it is killed.
        const auto started = std::chrono::steady_clock::now();
        auto outcome = outcome_of(ask(out.bytes(), "save_and_close", deadline * 19 / 20));
        // A handler that never returned keeps a thread in the plugin: no later call may meet it.
        if (process_ &&
            std::chrono::steady_clock::now() - started >= agent::agent_share(deadline)) {
            spdlog::warn("handler={} save_and_close did not return: worker replaced", name());
            process_.reset();
        }
        return outcome;
    }

    Expected<void> reopen(const SavedProject& project) override {
        if (!can_reopen_)
            return unexpected("handler '" + name() + "' cannot reopen projects");
        std::lock_guard lock(mutex_);
        Writer out;
        out.u8(static_cast<uint8_t>(HandlerCall::reopen));
        encode(project, out);
        auto outcome = outcome_of(ask(out.bytes(), "reopen", agent::reopen_limit + 5s));
        if (!outcome)
            return unexpected(outcome.error());
        return {};
    }

private:
    // A reply that carries a call's outcome; the worker's own failure is the call's.
    Expected<Projects> outcome_of(Expected<std::string> reply) {
        if (!reply)
            return unexpected("the handler's " + reply.error() + "; the app was left as it is");
        Reader in(*reply);
        Expected<Projects> outcome = Projects{};
        if (!decode(in, outcome))
            return unexpected(garbled("a call"));
        return outcome;
    }

    std::string garbled(const char* call) {
        process_.reset();
        const std::string reason =
            name() + " handler worker sent a garbled reply to " + call + ": worker restarted";
        spdlog::error("handler={} {}", name(), reason);
        return reason;
    }

    // One call, with mutex_ held; a worker that died or was killed is replaced first.
    Expected<std::string> ask(const std::string& payload, const char* what,
                              std::chrono::milliseconds limit) {
        if (!process_) {
            if (auto started = start(); !started)
                return unexpected("worker could not be restarted: " + started.error());
            spdlog::info("handler={} worker restarted", name());
        }
        return call({FrameType::handler_call, FrameType::handler_reply, what, limit, max_answer},
                    payload);
    }

    Expected<std::string> call(const WorkerCall& what, const std::string& payload) {
        auto answer = call_worker(*process_, what, payload, "worker", "handler=" + name());
        if (!answer)
            process_.reset();
        return answer;
    }

    agent::HandlerSettings settings_;
    WorkerSettings worker_;
    std::string create_request_;
    std::unique_ptr<WorkerProcess> process_; // guarded by mutex_
    std::vector<std::string> unread_;
    bool can_save_ = false;
    bool can_reopen_ = false;
    std::mutex mutex_; // one call at a time on the worker's socket
    std::mutex known_mutex_;
    std::map<int64_t, std::vector<std::string>> known_; // the last features per pid
};

} // namespace

WorkerSettings handler_worker_settings() {
    WorkerSettings worker;
    worker.memory = 0;
    worker.no_new_privileges = false;
    return worker;
}

Expected<std::unique_ptr<agent::HandlerInstance>>
start_handler_worker(const std::filesystem::path& plugin_file, agent::HandlerSettings settings,
                     WorkerSettings worker) {
    auto client =
        std::make_unique<HandlerWorkerClient>(plugin_file, std::move(settings), std::move(worker));
    const std::string who = "handler '" + client->name() + "': ";
    if (auto started = client->start(); !started)
        return unexpected(started.error().starts_with("handler '") ? started.error()
                                                                   : who + started.error());
    const std::string unread =
        agent::unread_handler_keys_message(client->settings(), client->unread_keys());
    if (!unread.empty())
        return unexpected(unread);
    return std::unique_ptr<agent::HandlerInstance>(std::move(client));
}

} // namespace lmharvest::isolation
