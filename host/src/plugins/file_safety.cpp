#include "plugins/file_safety.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <pwd.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest {
namespace {

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// "uid 65534 (nobody)", or "uid 1234" when the user has no name here.
std::string user_text(uid_t uid) {
    std::string text = "uid " + std::to_string(uid);
    if (const passwd* user = ::getpwuid(uid))
        text += std::string(" (") + user->pw_name + ")";
    return text;
}

} // namespace

Expected<std::filesystem::path> check_owner_and_mode(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return unexpected(path.string() + ": cannot check its owner and mode (" +
                          std::strerror(errno) + "); fix plugin_dirs");
    const bool folder = S_ISDIR(info.st_mode);
    const std::string prefix =
        path.string() + ": unsafe plugin " + (folder ? "folder" : "file") + ": ";
    if (info.st_mode & (S_IWGRP | S_IWOTH))
        return unexpected(prefix + "writable by " +
                          ((info.st_mode & S_IWOTH) ? "others" : "its group") + " (mode " +
                          octal_mode(info.st_mode) + "); run chmod go-w " + path.string());
    const uid_t host_user = ::geteuid();
    if (info.st_uid != 0 && info.st_uid != host_user)
        return unexpected(prefix + "owned by " + user_text(info.st_uid) +
                          ", neither root nor the host's " + user_text(host_user) +
                          "; run chown root " + path.string() + " or remove it");
    return path;
}

} // namespace lmharvest
