// A handler that fails the way a vendor's might, for the agent's handler workers. Its table:
//   hang_pid = 7     features() never returns for that pid (other pids: ["FAULTY"])
// save_and_close calls abort(). reopen writes what a process it starts would inherit,
// "address_space=<soft RLIMIT_AS or unlimited> no_new_privs=<0|1>", to the project's path.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <lmharvest/plugin.hpp>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace {

using namespace lmharvest;

class FaultyHandler {
public:
    explicit FaultyHandler(const sdk::HandlerSetup& setup)
        : hang_pid_(setup.get_int("hang_pid").value_or(-1)) {}

    std::vector<std::string> features(const sdk::Process& process) {
        while (process.pid == hang_pid_)
            std::this_thread::sleep_for(std::chrono::seconds(1));
        return {"FAULTY"};
    }

    void save_and_close(const sdk::SaveRequest&, sdk::SavedProjectSink&) { std::abort(); }

    void reopen(const sdk::SavedProject& project) {
        rlimit address_space{};
        ::getrlimit(RLIMIT_AS, &address_space);
        std::ofstream(project.path)
            << "address_space="
            << (address_space.rlim_cur == RLIM_INFINITY ? std::string("unlimited")
                                                        : std::to_string(address_space.rlim_cur))
            << " no_new_privs=" << ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) << '\n';
    }

private:
    int64_t hang_pid_;
};

} // namespace

LMHARVEST_HANDLER_PLUGIN(FaultyHandler, "faulty_handler", "1.0", "fails as a vendor's might")
