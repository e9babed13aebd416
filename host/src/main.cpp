#include "cli/commands.hpp"

int main(int argc, char** argv) {
    return lmharvest::cli::main(argc, argv);
}
