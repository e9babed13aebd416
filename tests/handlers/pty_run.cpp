// pty_run PROGRAM ARG...: runs a program on a new pseudo-terminal and copies what it prints to
// standard output until it exits, then exits as it did. Octave calls its input event hooks
// (which the lmharvest extension uses) only while readline waits at a terminal, so the tests
// and the handler's reopen start octave-cli through this when no real terminal is there.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: pty_run PROGRAM [ARG...]\n");
        return 2;
    }
    int master = -1;
    const pid_t child = forkpty(&master, nullptr, nullptr, nullptr);
    if (child < 0) {
        std::perror("pty_run: forkpty");
        return 1;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        std::perror("pty_run: exec");
        _exit(127);
    }
    char buffer[4096];
    for (;;) {
        const ssize_t got = read(master, buffer, sizeof buffer);
        if (got > 0) {
            if (fwrite(buffer, 1, static_cast<size_t>(got), stdout) > 0)
                fflush(stdout);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        break; // EIO: the child closed the terminal
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
