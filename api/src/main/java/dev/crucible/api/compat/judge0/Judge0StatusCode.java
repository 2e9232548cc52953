package dev.crucible.api.compat.judge0;

import dev.crucible.api.model.Judge0Status;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Judge0's fourteen statuses ({@code app/enumerations/status.rb}), and which one a run's ending is. */
enum Judge0StatusCode {
    IN_QUEUE(1, "In Queue"),
    PROCESSING(2, "Processing"),
    ACCEPTED(3, "Accepted"),
    WRONG_ANSWER(4, "Wrong Answer"),
    TIME_LIMIT_EXCEEDED(5, "Time Limit Exceeded"),
    COMPILATION_ERROR(6, "Compilation Error"),
    SIGSEGV(7, "Runtime Error (SIGSEGV)"),
    SIGXFSZ(8, "Runtime Error (SIGXFSZ)"),
    SIGFPE(9, "Runtime Error (SIGFPE)"),
    SIGABRT(10, "Runtime Error (SIGABRT)"),
    NZEC(11, "Runtime Error (NZEC)"),
    OTHER(12, "Runtime Error (Other)"),
    INTERNAL_ERROR(13, "Internal Error"),
    EXEC_FORMAT_ERROR(14, "Exec Format Error");

    /** Signal numbers by the names Crucible reports them with (x86-64 Linux). */
    static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("SIGHUP", 1), Map.entry("SIGINT", 2), Map.entry("SIGQUIT", 3), Map.entry("SIGILL", 4),
            Map.entry("SIGTRAP", 5), Map.entry("SIGABRT", 6), Map.entry("SIGBUS", 7), Map.entry("SIGFPE", 8),
            Map.entry("SIGKILL", 9), Map.entry("SIGUSR1", 10), Map.entry("SIGSEGV", 11), Map.entry("SIGUSR2", 12),
            Map.entry("SIGPIPE", 13), Map.entry("SIGALRM", 14), Map.entry("SIGTERM", 15), Map.entry("SIGXCPU", 24),
            Map.entry("SIGXFSZ", 25), Map.entry("SIGSYS", 31));

    private final int id;
    private final String description;

    Judge0StatusCode(int id, String description) {
        this.id = id;
        this.description = description;
    }

    int id() {
        return id;
    }

    Judge0Status view() {
        return new Judge0Status(id, description);
    }

    static List<Judge0Status> all() {
        return Arrays.stream(values()).map(Judge0StatusCode::view).toList();
    }

    /** A program killed by signal {@code number}: Judge0's {@code find_runtime_error_by_status_code}. */
    static Judge0StatusCode ofSignal(int number) {
        return switch (number) {
            case 11 -> SIGSEGV;
            case 25 -> SIGXFSZ;
            case 8 -> SIGFPE;
            case 6 -> SIGABRT;
            default -> OTHER;
        };
    }
}
