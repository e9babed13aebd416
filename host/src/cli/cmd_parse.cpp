// `lmharvest parse ADAPTER FILE [--json]`: what an adapter reads from a saved tool output.
// FILE is replayed in place of the tool's output through the plugin's own poll(), so what it
// prints is exactly what the service would have stored.
#include "cli/commands.hpp"
#include "cli/json_poll_sink.hpp"
#include "cli/mapped_file.hpp"
#include "cli/parse_text.hpp"
#include "model/decode_names.hpp"
#include "service/host_assembly.hpp"
#include "text/terminal_escape.hpp"

#include "json/iso_time.hpp"
#include "json/json_writer.hpp"
#include <algorithm>
#include <chrono>
#include <iostream>

namespace lmharvest::cli {

namespace {
namespace fs = std::filesystem;

struct ParseOptions {
    std::string adapter;
    std::string file;
    bool json = false;
    std::string now; // ISO 8601; default: the file's modification time
    std::string encoding = "utf-8";
    std::vector<std::string> plugin_dirs;
};

// A process runner that "runs" every command by printing the saved output. It holds the file
// by shared_ptr: the registry copies its runner, and a copied 10 MB string cost 9% of a parse.
ProcessRunner replay(std::shared_ptr<const MappedFile> file) {
    return [file = std::move(file)](const ProcessRequest& request) {
        ProcessResult result;
        result.started = true;
        result.exit_code = 0;
        if (request.on_output)
            request.on_output(OutputStream::out, file->text());
        return result;
    };
}

// The poll time decides the year of lmstat's year-less start times, so the default is when
// the capture was saved, not today.
Expected<int64_t> poll_time(const ParseOptions& options) {
    if (!options.now.empty()) {
        if (auto time = parse_iso8601(options.now))
            return *time;
        return unexpected("--now '" + options.now + "' is not ISO 8601; write e.g. " +
                          "2024-05-23T12:00:00");
    }
    const auto written = fs::last_write_time(options.file);
    const auto system_time = std::chrono::file_clock::to_sys(written);
    return static_cast<int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(system_time.time_since_epoch()).count());
}

// Each session is one line of the output (of 30 bytes or more): the line count bounds them,
// for the room the snapshot makes before the records arrive.
std::size_t session_bound(std::string_view output) {
    return std::min(static_cast<std::size_t>(std::count(output.begin(), output.end(), '\n')),
                    output.size() / 30);
}

int parse(const ParseOptions& options) {
    auto file = MappedFile::open(options.file);
    if (!file) {
        std::cerr << file.error() << '\n';
        return 1;
    }
    const auto time = poll_time(options);
    if (!time) {
        std::cerr << time.error() << '\n';
        return 1;
    }

    const std::string_view output = (*file)->text();
    PluginRegistry registry(replay(std::move(*file)));
    const auto dirs =
        plugin_search_path(options.plugin_dirs, options.plugin_dirs.empty() ? "" : "--plugin-dir");
    if (!dirs) {
        std::cerr << dirs.error() << '\n';
        return 1;
    }
    registry.load_directory(*dirs, std::set<std::string>{options.adapter});
    auto plugin = registry.find(options.adapter);
    if (!plugin) {
        std::cerr << "no adapter plugin '" << options.adapter << "' found; see `lmharvest "
                  << "plugins list`\n";
        return 1;
    }
    InstanceSettings settings;
    settings.server_id = "parse";
    settings.adapter = options.adapter;
    settings.address = "replay";
    settings.state_dir = fs::temp_directory_path() / "lmharvest-parse";
    auto instance = AdapterInstance::create(plugin, std::move(settings));
    if (!instance) {
        std::cerr << instance.error() << '\n';
        return 1;
    }
    const text::Encoding encoding = *text::encoding_from_name(options.encoding);
    // A refused output still shows what was read, with why it was refused.
    std::string error;
    if (options.json) {
        JsonWriter writer(file_sink(stdout), 2); // the top object's arrays, one record per line
        JsonPollSink sink(writer, encoding);
        error = sink.finish((*instance)->poll_into(*time, sink.c_sink(), sink.failure()));
        if (!writer.finish()) {
            std::cerr << "cannot write the JSON to the standard output\n";
            return 1;
        }
    } else {
        PollSnapshot snapshot = (*instance)->poll(*time, FailedPoll::keep, session_bound(output));
        decode_names(snapshot, encoding);
        std::cout << to_text(snapshot);
        error = snapshot.error;
    }
    if (!error.empty())
        std::cerr << options.file << ": " << text::escape_for_terminal(error) << '\n';
    return error.empty() ? 0 : 1;
}

} // namespace

void add_parse_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "parse", "Show what an adapter reads from a saved tool output (lmstat, lmxendutil...)");
    auto options = std::make_shared<ParseOptions>();
    command->add_option("adapter", options->adapter, "The adapter plugin: flexnet, lmx, ...")
        ->required();
    command->add_option("file", options->file, "The saved output")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_flag("--json", options->json, "Print one JSON object");
    command->add_option("--now", options->now,
                        "The poll time, ISO 8601 (default: the file's modification time); it "
                        "gives year-less start times their year");
    command
        ->add_option("--encoding", options->encoding,
                     "The code page the tool printed names in, as a server's `encoding`: "
                     "utf-8 (default), latin1, cp1252 or auto")
        ->check(CLI::IsMember(text::encoding_names()));
    command->add_option("--plugin-dir", options->plugin_dirs, "A folder to search (repeatable)");
    command->callback([&exit_code, options] { exit_code = parse(*options); });
}

} // namespace lmharvest::cli
