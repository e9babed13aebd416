#include "harness.hpp"

#include "process/run_process.hpp"

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <httplib.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace lmharvest::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
    static int serial = 0;
    path_ = fs::temp_directory_path() /
            ("lmharvest-it-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
    fs::remove_all(path_);
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string flexnet_and_lmx_servers() {
    return "[[servers]]\nid = \"eng-flex\"\nadapter = \"flexnet\"\naddress = \"27000@host1\"\n"
           "interval = \"1s\"\n[servers.flexnet]\nlmutil = \"" +
           emulator_dir +
           "/lmutil\"\n\n[[servers]]\nid = \"cae-lmx\"\nadapter = \"lmx\"\n"
           "address = \"6200@licserv0013.com\"\ninterval = \"1s\"\n[servers.lmx]\n"
           "lmxendutil = \"" +
           emulator_dir + "/lmxendutil\"\n";
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    if (at == std::string::npos)
        throw std::runtime_error("replace_once: '" + from + "' is not in the text");
    return text.replace(at, from.size(), to);
}

std::string demo_config(const TempDir& dir, const std::map<std::string, std::string>& lines) {
    std::string demo = read_file(source_dir + "/config/demo.toml");
    std::map<std::string, std::string> all = lines;
    all.emplace("state_dir", "\"" + (dir / "state").string() + "\"");
    all.emplace("plugin_dirs", "[\"" + plugin_dir + "\"]");
    for (const auto& [key, value] : all) {
        const size_t start = demo.find("\n" + key + " = ");
        if (start == std::string::npos)
            throw std::runtime_error("demo_config: config/demo.toml sets no " + key);
        const size_t end = demo.find('\n', start + 1);
        demo.replace(start + 1, end - start - 1, key + " = " + value);
    }
    return dir.write("demo.toml", demo);
}

CliRun run_cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {lmharvest_binary};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
}

CliRun run_program(const std::vector<std::string>& argv, std::chrono::seconds limit) {
    CliRun run;
    ProcessRequest request;
    request.argv = argv;
    request.timeout = limit;
    request.on_output = [&run](OutputStream stream, std::string_view data) {
        (stream == OutputStream::out ? run.out : run.err).append(data);
    };
    const ProcessResult result = run_process(request);
    run.exit_code = result.exit_code;
    return run;
}

RunningHost::RunningHost(const std::string& config_file,
                         const std::map<std::string, std::string>& env, const fs::path& log_file,
                         const std::vector<std::string>& extra_args, const std::string& subcommand)
    : log_file_(log_file) {
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry)
        environment.emplace_back(*entry);
    for (const auto& [key, value] : env)
        environment.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (std::string& entry : environment)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    std::vector<std::string> args = {lmharvest_binary, subcommand, "--config", config_file};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0)
        pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
}

RunningHost::~RunningHost() {
    stop();
}

void RunningHost::signal(int signal_number) const {
    if (pid_ > 0)
        ::kill(pid_, signal_number);
}

bool RunningHost::alive() const {
    return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0;
}

int RunningHost::stop() {
    if (pid_ <= 0)
        return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 1000; ++i) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
}

std::string get_text(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(std::chrono::seconds(2));
    const auto response = client.Get(path);
    return response ? response->body : std::string();
}

nlohmann::json get_json(int port, const std::string& path) {
    return nlohmann::json::parse(get_text(port, path), nullptr, false);
}

int connect_tcp(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

long resident_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return 0;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

} // namespace lmharvest::testing
