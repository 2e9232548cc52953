package dev.crucible.executor.sandbox;

import java.util.Map;

/** The signal an exit status of 128 + n names, as Docker reports a program killed by it. */
public final class ExitSignals {
    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
            Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"),
            Map.entry(25, "SIGXFSZ"), Map.entry(31, "SIGSYS"));

    private ExitSignals() {}

    /** The signal's name, e.g. {@code SIGSEGV} for 139; null for an ordinary exit status or an unknown signal. */
    public static String of(int exitStatus) {
        return exitStatus > 128 ? SIGNALS.get(exitStatus - 128) : null;
    }
}
