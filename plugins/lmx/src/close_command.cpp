#include "close_command.hpp"

namespace lmharvest::lmx {
namespace {

constexpr std::string_view placeholder_names[] = {"feature",     "version", "user",   "host",
                                                  "server_host", "port",    "vendor", "password"};

const std::string_view* find_placeholder(std::string_view name) {
    for (const std::string_view& known : placeholder_names)
        if (known == name)
            return &known;
    return nullptr;
}

// Walks one template element, calling literal(text) and placeholder(name) in order. Returns a
// problem description, or nullopt when the element is well formed.
template <class Literal, class Placeholder>
std::optional<std::string> walk(std::string_view element, Literal&& literal,
                                Placeholder&& placeholder) {
    std::size_t i = 0;
    while (i < element.size()) {
        const char c = element[i];
        if ((c == '{' || c == '}') && i + 1 < element.size() && element[i + 1] == c) {
            literal(element.substr(i, 1));
            i += 2;
            continue;
        }
        if (c != '{') {
            const std::size_t next = element.find_first_of("{}", i + 1);
            const std::size_t end = next == std::string_view::npos ? element.size() : next;
            literal(element.substr(i, end - i));
            i = end;
            continue;
        }
        const std::size_t close = element.find('}', i + 1);
        if (close == std::string_view::npos)
            return "'{' without '}' in \"" + std::string(element) + "\"";
        const std::string_view name = element.substr(i + 1, close - i - 1);
        if (!find_placeholder(name))
            return "unknown placeholder {" + std::string(name) +
                   "}; known: {feature} {version} {user} {host} {server_host} {port} {vendor} "
                   "{password}";
        placeholder(name);
        i = close + 1;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> close_template_problem(const std::vector<std::string>& argv) {
    if (argv.empty() || argv.front().empty())
        return std::string("the close command is empty; its first element is the program");
    for (const std::string& element : argv)
        if (auto problem = walk(
                element, [](std::string_view) {}, [](std::string_view) {}))
            return problem;
    return std::nullopt;
}

bool close_template_uses_password(const std::vector<std::string>& argv) {
    bool uses = false;
    for (const std::string& element : argv)
        walk(
            element, [](std::string_view) {},
            [&](std::string_view name) { uses = uses || name == "password"; });
    return uses;
}

std::vector<std::string> expand_close_command(const std::vector<std::string>& argv,
                                              const CloseFields& fields,
                                              std::string_view password) {
    const auto value_of = [&](std::string_view name) -> std::string_view {
        if (name == "feature")
            return fields.feature;
        if (name == "version")
            return fields.version;
        if (name == "user")
            return fields.user;
        if (name == "host")
            return fields.host;
        if (name == "server_host")
            return fields.server_host;
        if (name == "port")
            return fields.port;
        if (name == "vendor")
            return fields.vendor;
        return password;
    };
    std::vector<std::string> expanded;
    expanded.reserve(argv.size());
    for (const std::string& element : argv) {
        std::string out;
        walk(
            element, [&](std::string_view text) { out.append(text); },
            [&](std::string_view name) { out.append(value_of(name)); });
        expanded.push_back(std::move(out));
    }
    return expanded;
}

} // namespace lmharvest::lmx
