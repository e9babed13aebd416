// Proves that the C++ plugin layer builds as C++17 with -pedantic -Wall -Wextra -Werror (see
// CMakeLists.txt): a vendor's compiler need not speak C++20. Instantiates every template of
// plugin.hpp through a small adapter and a small handler, each with every optional part.
#include <lmharvest/plugin.hpp>

namespace {

class CompileTestAdapter {
public:
    static constexpr bool reports_denials = true;

    explicit CompileTestAdapter(const lmharvest::sdk::Instance& instance)
        : path_(instance.get_string("path").value_or("")),
          args_(instance.get_string_list("args").value_or(std::vector<std::string>{})) {
        (void)instance.get_int("n");
        (void)instance.get_bool("b");
        (void)instance.get_duration_ms("d");
    }
    void poll(const lh_poll_request&, lmharvest::sdk::PollSink& sink) {
        const auto output = lmharvest::sdk::run_process({path_}, 1000, "input");
        sink.server({0, "lic1", LH_STATE_UP, 1, output.out.c_str(), nullptr});
        sink.vendor({0, "v", LH_STATE_UP, nullptr, nullptr});
        sink.feature({0, "v", "f", nullptr, -1, 0, 0, 0, nullptr, 0, nullptr});
        sink.session({0, "v", "f", nullptr, "u", "h", nullptr, nullptr, 1, 0, 0, 0, 0, nullptr,
                      nullptr, "t"});
        sink.denial({0, LH_DENIAL_DENIED, "v", "f", "u", "h", nullptr, 0, 1});
        sink.skipped(1, "line", "reason");
        lmharvest::sdk::log(LH_LOG_DEBUG, "polled");
    }
    lmharvest::sdk::CloseOutcome close_session(std::string_view token) {
        if (token.empty())
            throw lmharvest::sdk::Error(LH_ERR_INVALID_ARGUMENT, "empty token");
        return {};
    }

private:
    std::string path_;
    std::vector<std::string> args_;
};

class CompileTestHandler {
public:
    explicit CompileTestHandler(const lmharvest::sdk::HandlerSetup& setup)
        : saved_dir_(setup.saved_dir()), state_dir_(setup.state_dir()) {
        (void)setup.get_string_list("features");
    }
    std::vector<std::string> features(const lmharvest::sdk::Process& process) {
        if (process.executable.empty())
            return {};
        return {"F1", "F2"};
    }
    void save_and_close(const lmharvest::sdk::SaveRequest& request,
                        lmharvest::sdk::SavedProjectSink& sink) {
        if (request.deadline_ms == 0)
            throw lmharvest::sdk::Error(LH_ERR_TIMEOUT, "no time");
        sink.saved({"app", saved_dir_ + "/p", 1});
    }
    void reopen(const lmharvest::sdk::SavedProject& project) {
        if (project.path.empty())
            throw lmharvest::sdk::Error(LH_ERR_INVALID_ARGUMENT, "no path");
    }
    lmharvest::sdk::Activity activity(const lmharvest::sdk::Process&) {
        return state_dir_.empty() ? lmharvest::sdk::Activity::unknown
                                  : lmharvest::sdk::Activity::waiting;
    }

private:
    std::string saved_dir_;
    std::string state_dir_;
};

} // namespace

LMHARVEST_ADAPTER_AND_HANDLER_PLUGIN(CompileTestAdapter, CompileTestHandler, "cxx17", "1.0",
                                     "compile test")
