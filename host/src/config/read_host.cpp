#include "common/expected.hpp"
#include "config/config_file.hpp"
#include "config/config_sections.hpp"
#include "config/loopback.hpp"
#include "config/tls_files.hpp"

#include <charconv>
#include <cstring>
#include <pwd.h>
#include <vector>

namespace lmharvest {
namespace {

struct ListenAddress {
    std::string host;
    uint16_t port = 0;
};

// "host:port", the host possibly an IPv6 address in brackets ("[::1]:8940").
Expected<ListenAddress> parse_listen(std::string_view text) {
    const std::string fix =
        "\"" + std::string(text) + "\" is not host:port; write e.g. listen = \"127.0.0.1:8940\"";
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return unexpected(fix);
    std::string_view host = text.substr(0, colon);
    std::string_view port_text = text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size())
        return unexpected(fix);
    if (port == 0 || port > 65535)
        return unexpected("port " + std::string(port_text) +
                          " is out of range 1..65535; write e.g. listen = \"127.0.0.1:8940\"");
    return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

// Ten years: a longer retention is a typo, and the store's cutoff arithmetic stays small.
constexpr int64_t max_history_days = 3650;

// tls_cert and tls_key (both or neither, each a usable file), and insecure; then whether a
// non-loopback listen is encrypted or explicitly allowed not to be.
void read_tls(TableReader& reader, HostConfig& host, const std::filesystem::path& base_dir) {
    const toml::table& table = reader.table();
    const auto read_file_key = [&](std::string_view key, TlsFile kind, std::string& into) {
        auto path = reader.get_string(key, Need::optional, "\"/etc/lmharvest/tls/api.pem\"");
        if (!path)
            return;
        into = resolve_config_path(base_dir, *path);
        if (auto problem = tls_file_problem(into, kind))
            reader.error_at(*table.get(key), key, *problem);
    };
    read_file_key("tls_cert", TlsFile::certificate, host.tls_cert);
    read_file_key("tls_key", TlsFile::private_key, host.tls_key);
    if (host.tls_cert.empty() != host.tls_key.empty()) {
        const std::string_view given = host.tls_cert.empty() ? "tls_key" : "tls_cert";
        const std::string_view missing = host.tls_cert.empty() ? "tls_cert" : "tls_key";
        reader.error_at(*table.get(given), given,
                        "set without " + std::string(missing) +
                            "; HTTPS needs both the certificate and its private key");
    }
    if (auto insecure = reader.get_bool("insecure"))
        host.insecure = *insecure;
    if (!is_loopback_name(host.listen_host) && host.tls_cert.empty() && !host.insecure &&
        table.contains("listen"))
        reader.error_at(*table.get("listen"), "listen",
                        "\"" + host.listen_host +
                            "\" is not loopback, and without TLS tokens and answers would cross "
                            "the network in the clear; set tls_cert and tls_key (PEM files), or "
                            "insecure = true to accept plain HTTP, or listen on 127.0.0.1");
}

// The account workers switch to, looked up now: a name the system does not know is an error
// at its line, not a worker that fails at every start.
void read_worker_user(TableReader& reader, HostConfig& host) {
    auto name = reader.get_string("worker_user", Need::optional, "\"lmharvest-worker\"");
    if (!name)
        return;
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    const int error = ::getpwnam_r(name->c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (found == nullptr) {
        reader.error_at(*reader.table().get("worker_user"), "worker_user",
                        "no user \"" + *name + "\" on this system" +
                            (error != 0 ? std::string(" (") + std::strerror(error) + ")" : "") +
                            "; create it (e.g. useradd --system " + *name +
                            ") or remove worker_user");
        return;
    }
    host.worker_user = *name;
    host.worker_uid = entry.pw_uid;
    host.worker_gid = entry.pw_gid;
}

} // namespace

std::optional<Isolation> read_isolation(TableReader& reader) {
    const auto name = reader.get_choice("isolation", {"process", "none"}, "process");
    if (!name)
        return std::nullopt;
    return *name == "process" ? Isolation::process : Isolation::none;
}

HostConfig read_host(TableReader& root, const std::filesystem::path& base_dir) {
    HostConfig host;
    host.state_dir = resolve_config_path(base_dir, host.state_dir);
    const toml::table* table = root.get_table("host");
    if (table == nullptr)
        return host;
    TableReader reader(*table, "host", root.errors());
    if (auto state_dir = reader.get_string("state_dir", Need::optional, "\"/var/lib/lmharvest\""))
        host.state_dir = resolve_config_path(base_dir, *state_dir);
    if (auto dirs =
            reader.get_strings("plugin_dirs", Need::optional, "[\"/usr/lib/lmharvest/plugins\"]")) {
        host.plugin_dirs.clear();
        host.plugin_dirs_location =
            format_location(root.errors().file(), table->get("plugin_dirs")->source());
        for (const std::string& dir : *dirs)
            host.plugin_dirs.push_back(resolve_config_path(base_dir, dir));
    }
    host.plugins = reader.get_strings("plugins", Need::optional, "[\"flexnet\", \"lmx\"]");
    if (auto listen = reader.get_string("listen", Need::optional, "\"127.0.0.1:8940\"")) {
        if (auto address = parse_listen(*listen)) {
            host.listen_host = address->host;
            host.listen_port = address->port;
        } else {
            reader.error_at(*table->get("listen"), "listen", address.error());
        }
    }
    if (auto names =
            reader.get_strings("allowed_hosts", Need::optional, "[\"lmharvest.example.com\"]"))
        host.allowed_hosts = *names;
    if (auto level =
            reader.get_choice("log_level", {"trace", "debug", "info", "warn", "error"}, "info"))
        host.log_level = *level;
    if (auto days = reader.get_int("history_days", 1, "90")) {
        if (*days <= max_history_days)
            host.history_days = static_cast<int>(*days);
        else
            reader.error_at(*table->get("history_days"), "history_days",
                            std::to_string(*days) + " is above " +
                                std::to_string(max_history_days) + " (ten years); write " +
                                std::to_string(max_history_days) + " or less");
    }
    if (auto open_read = reader.get_bool("open_read"))
        host.open_read = *open_read;
    read_tls(reader, host, base_dir);
    if (auto from = reader.get_choice("groups_from", {"config", "nss"}, "config"))
        host.groups_from = *from == "nss" ? GroupsFrom::nss : GroupsFrom::config;
    if (auto ttl =
            reader.get_duration("groups_ttl", {std::chrono::seconds(1), std::chrono::hours(24)}))
        host.groups_ttl = *ttl;
    if (auto isolation = read_isolation(reader))
        host.isolation = *isolation;
    host.worker_memory =
        reader.get_byte_size("worker_memory", 64u << 20, "64MB").value_or(host.worker_memory);
    host.worker_polls = reader.get_int("worker_polls", 0, "1440").value_or(host.worker_polls);
    host.worker_cpu =
        reader.get_duration("worker_cpu", {std::chrono::seconds(1), std::chrono::hours(1)})
            .value_or(host.worker_cpu);
    read_worker_user(reader, host);
    if (host.open_read && !is_loopback_name(host.listen_host))
        reader.error_at(*table->get("open_read"), "open_read",
                        "true lets anyone who reaches host.listen read without a token, and "
                        "listen \"" +
                            host.listen_host +
                            "\" is not loopback; set open_read = false and give readers viewer "
                            "tokens (`lmharvest token add NAME --role viewer`), or listen on "
                            "127.0.0.1");
    reader.reject_unknown_keys();
    return host;
}

} // namespace lmharvest
