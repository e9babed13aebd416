// A user's groups as the system knows them, through NSS (/etc/group, LDAP, SSSD, ...): the
// primary group from getpwnam_r and the supplementary ones from getgrouplist, named with
// getgrgid_r. The same answer as `id -Gn USER`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

/// The names of `user`'s groups, primary first; nullopt when NSS knows no such user. A group
/// without a name (a bare gid) is left out.
std::optional<std::vector<std::string>> system_groups_of(const std::string& user);

/// Whether NSS knows a group named `group`.
bool system_group_exists(const std::string& group);

} // namespace lmharvest
