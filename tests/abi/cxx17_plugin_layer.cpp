// Proves that the C++ plugin layer builds as C++17 with -pedantic -Wall -Wextra -Werror (see
// CMakeLists.txt): a vendor's compiler need not speak C++20. Instantiates every template of
// plugin.hpp through a small adapter with every optional part.
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

} // namespace

LMHARVEST_ADAPTER_PLUGIN(CompileTestAdapter, "cxx17", "1.0", "compile test")
