// A GOOD adapter for the loader's tests, on the C++ layer: it reports a fixed set of records
// made from its config table, so that a test can tell each field went through the host.
//
// [servers.test_adapter]
//   feature = "MATLAB"           required: create() fails without it
//   vendor = "testd"             default "testd"
//   total = 10                   issued licenses
//   users = ["alice", "bob"]     one session each, close token "tok-<user>"
//   linger = "90s"               each session's linger
//   down = true                  the server reports itself down
//   version_command = ["/bin/echo", "v1.2"]   run through the host; stdout is the version
//   denied = "carol"             one DENIED record for that user
//
// close_session: "tok-<user>" frees a current session (then ALREADY_GONE); "busy" answers
// TOO_SOON with a retry time; anything else NOT_FOUND.
#include <algorithm>
#include <lmharvest/plugin.hpp>
#include <string>
#include <vector>

namespace {

using lmharvest::sdk::Error;

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

class TestAdapter {
public:
    static constexpr bool reports_denials = true;

    explicit TestAdapter(const lmharvest::sdk::Instance& instance)
        : address_(instance.address()), timeout_ms_(instance.timeout_ms()) {
        auto feature = instance.get_string("feature");
        if (!feature)
            throw Error(LH_ERR_INVALID_ARGUMENT, "key 'feature' is required");
        feature_ = *feature;
        vendor_ = instance.get_string("vendor").value_or("testd");
        total_ = instance.get_int("total").value_or(-1);
        users_ = instance.get_string_list("users").value_or(std::vector<std::string>{});
        linger_seconds_ = instance.get_duration_ms("linger").value_or(0) / 1000;
        down_ = instance.get_bool("down").value_or(false);
        version_command_ = instance.get_string_list("version_command");
        denied_ = instance.get_string("denied");
        lmharvest::sdk::log(LH_LOG_INFO, "created for server " + instance.server_id());
    }

    void poll(const lh_poll_request& request, lmharvest::sdk::PollSink& sink) {
        const std::string version = server_version();
        sink.server({0, address_.c_str(), down_ ? LH_STATE_DOWN : LH_STATE_UP, 1, version.c_str(),
                     down_ ? "not answering" : nullptr});
        sink.vendor({0, vendor_.c_str(), LH_STATE_UP, version.c_str(), nullptr});
        sink.feature({0, vendor_.c_str(), feature_.c_str(), "1.0", total_,
                      static_cast<int64_t>(users_.size()), 0, 0, "permanent", 0, nullptr});
        for (const std::string& user : users_) {
            const std::string host = "ws-" + user;
            const std::string token = "tok-" + user;
            sink.session({0, vendor_.c_str(), feature_.c_str(), "1.0", user.c_str(), host.c_str(),
                          ":0", "10.0.0.1", 1, request.poll_time - 3600, 0, linger_seconds_, 0,
                          address_.c_str(), nullptr, token.c_str()});
        }
        if (denied_)
            sink.denial({0, LH_DENIAL_DENIED, vendor_.c_str(), feature_.c_str(), denied_->c_str(),
                         "ws-denied", "licensed number of users already reached",
                         request.poll_time - 60, 1});
        sink.skipped(7, "garbage line", "not a line this adapter knows");
    }

    lmharvest::sdk::CloseOutcome close_session(std::string_view token) {
        if (token == "busy")
            return {LH_ERR_TOO_SOON, "removed too recently", 60000};
        const auto user = std::find_if(users_.begin(), users_.end(),
                                       [&](const std::string& u) { return "tok-" + u == token; });
        if (user != users_.end()) {
            closed_.push_back(*user);
            users_.erase(user);
            return {};
        }
        if (std::find_if(closed_.begin(), closed_.end(), [&](const std::string& u) {
                return "tok-" + u == token;
            }) != closed_.end())
            return {LH_ERR_ALREADY_GONE, "session already ended", 0};
        return {LH_ERR_NOT_FOUND, "no session with close token '" + std::string(token) + "'", 0};
    }

private:
    std::string server_version() const {
        if (!version_command_)
            return "";
        const auto output = lmharvest::sdk::run_process(*version_command_, timeout_ms_);
        if (output.status != LH_OK)
            throw Error(output.status, "version_command did not run: " + output.err);
        return trimmed(output.out);
    }

    std::string address_;
    uint32_t timeout_ms_;
    std::string feature_;
    std::string vendor_;
    int64_t total_;
    std::vector<std::string> users_;
    std::vector<std::string> closed_;
    int64_t linger_seconds_;
    bool down_;
    std::optional<std::vector<std::string>> version_command_;
    std::optional<std::string> denied_;
};

} // namespace

LMHARVEST_ADAPTER_PLUGIN(TestAdapter, "test_adapter", "2.5.0", "fixed records for loader tests")
