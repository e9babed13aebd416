/* A tiny X11 application for the desktop tests: one window whose process sets _NET_WM_PID and
 * WM_CLIENT_MACHINE as toolkits do.
 *   lh_test_window TITLE [--spin] [-- COMMAND ARGS...]
 * Prints "mapped <window id>" once the window is mapped. --spin busies one core (the window
 * still answers events). After "--", starts COMMAND as its child: an app inside a terminal. */
#define _DEFAULT_SOURCE
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: lh_test_window TITLE [--spin] [-- COMMAND ARGS...]\n");
        return 2;
    }
    int spin = 0;
    char** child = NULL;
    for (int i = 2; i < argc; ++i) {
        if (strcmp(argv[i], "--spin") == 0)
            spin = 1;
        else if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
            child = argv + i + 1;
            break;
        }
    }
    Display* display = XOpenDisplay(NULL);
    if (!display) {
        fprintf(stderr, "lh_test_window: cannot open the display\n");
        return 1;
    }
    fprintf(stderr, "lh_test_window: display open\n");
    Window window = XCreateSimpleWindow(display, DefaultRootWindow(display), 0, 0, 300, 200, 1,
                                        BlackPixel(display, 0), WhitePixel(display, 0));
    char* title = argv[1];
    XTextProperty name;
    XStringListToTextProperty(&title, 1, &name);
    /* Sets WM_NAME and WM_CLIENT_MACHINE (this host), as every toolkit does. */
    XSetWMProperties(display, window, &name, &name, argv, argc, NULL, NULL, NULL);
    XFree(name.value);
    unsigned long pid = (unsigned long)getpid();
    XChangeProperty(display, window, XInternAtom(display, "_NET_WM_PID", False), XA_CARDINAL, 32,
                    PropModeReplace, (unsigned char*)&pid, 1);
    XSelectInput(display, window, StructureNotifyMask | KeyPressMask);
    XMapWindow(display, window);
    for (;;) {
        XEvent event;
        XNextEvent(display, &event);
        if (event.type == MapNotify)
            break;
    }
    if (child && fork() == 0) {
        execvp(child[0], child);
        _exit(127);
    }
    printf("mapped 0x%lx\n", (unsigned long)window);
    fflush(stdout);
    for (;;) {
        while (spin && !XPending(display)) {
        }
        XEvent event;
        XNextEvent(display, &event);
    }
}
