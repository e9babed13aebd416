// A fresh emulator state for one test: a temporary folder whose state file starts as the
// reconstructed -licstatxml twin of fixtures/lmx/01, named in LMXENDUTIL_EMULATOR_STATE (the
// emulator is a child process and inherits it).
#pragma once

#include "lmx_test_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace lmharvest::lmx::testing {

inline const std::string emulator_path = std::string(LH_BINARY_DIR) + "/emulators/lmxendutil";

class EmulatorWorkspace {
public:
    EmulatorWorkspace() {
        static int serial = 0;
        folder_ = std::filesystem::temp_directory_path() /
                  ("lmxendutil-test-" + std::to_string(getpid()) + "-" + std::to_string(++serial));
        std::filesystem::create_directories(folder_);
        write(state(), reconstructed("01-omnivector-altair-hyperworks.reconstructed.xml"));
        setenv("LMXENDUTIL_EMULATOR_STATE", state().c_str(), 1);
    }
    ~EmulatorWorkspace() {
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
    EmulatorWorkspace(const EmulatorWorkspace&) = delete;
    EmulatorWorkspace& operator=(const EmulatorWorkspace&) = delete;

    std::string state() const { return (folder_ / "state.xml").string(); }
    std::string path(const std::string& name) const { return (folder_ / name).string(); }
    void set_mode(const std::string& mode) const { write(state() + ".mode", mode + "\n"); }
    void clear_mode() const { std::filesystem::remove(state() + ".mode"); }
    void set_password(const std::string& password) const {
        write(state() + ".password", password + "\n");
    }

    static void write(const std::string& path, const std::string& content) {
        std::ofstream(path, std::ios::binary) << content;
    }

private:
    std::filesystem::path folder_;
};

} // namespace lmharvest::lmx::testing
