// The argument vectors the adapter runs (never through a shell).
#pragma once

#include "close_token.hpp"

#include <string>
#include <vector>

namespace lmharvest::flexnet {

/// lmutil lmstat -a -c <address> [extra...]
std::vector<std::string> lmstat_argv(const std::string& lmutil, const std::string& address,
                                     const std::vector<std::string>& extra_args);

/// lmutil lmremove -c <address> -h <feature> <server_host> <port> <handle>, or, without a handle,
/// lmutil lmremove -c <address> <feature> <user> <user_host> <display>.
std::vector<std::string> lmremove_argv(const std::string& lmutil, const std::string& address,
                                       const CloseTarget& target);

} // namespace lmharvest::flexnet
