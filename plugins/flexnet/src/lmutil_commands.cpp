#include "lmutil_commands.hpp"

namespace lmharvest::flexnet {

std::vector<std::string> lmstat_argv(const std::string& lmutil, const std::string& address,
                                     const std::vector<std::string>& extra_args) {
    std::vector<std::string> argv{lmutil, "lmstat", "-a", "-c", address};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    return argv;
}

std::vector<std::string> lmremove_argv(const std::string& lmutil, const std::string& address,
                                       const CloseTarget& target) {
    std::vector<std::string> argv{lmutil, "lmremove", "-c", address};
    if (target.form == CloseTarget::Form::handle)
        argv.push_back("-h");
    argv.insert(argv.end(), {target.feature, target.first, target.second, target.third});
    return argv;
}

} // namespace lmharvest::flexnet
