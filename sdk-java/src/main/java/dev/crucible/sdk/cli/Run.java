package dev.crucible.sdk.cli;

import dev.crucible.sdk.Crucible;
import dev.crucible.sdk.CrucibleException;
import dev.crucible.sdk.CrucibleTimeoutException;
import dev.crucible.sdk.model.Submission;
import dev.crucible.sdk.model.SubmissionRequest;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./crucible run FILE [--stdin FILE] [--runtime R] [--test IN:OUT ...]}: submits the file through
 * the API, shows its output live, and ends with the program's exit status. Exit statuses of its own:
 * 2 when the command line, a file it names or the request is refused (400, 413, 422), 125 when
 * Crucible cannot be reached, refuses otherwise, or the run is not final within 45 minutes.
 */
public final class Run {
    static final int USAGE = 2;
    static final int CRUCIBLE_FAILED = 125;
    /** The longest a run is followed: 64 tests of the longest wall limit, and a queue, fit in it. */
    static final Duration DEADLINE = Duration.ofMinutes(45);
    /** Ctrl-C cancels the submission, within this. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean cancelOnInterrupt;

    Run(Map<String, String> env, PrintStream out, PrintStream err, boolean cancelOnInterrupt) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.cancelOnInterrupt = cancelOnInterrupt;
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: the program's text is printed as it came, not as the platform's charset can show it.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err)), false,
                StandardCharsets.UTF_8);
        int status = new Run(System.getenv(), out, err, true).execute(List.of(args));
        out.flush();
        err.flush();
        System.exit(status);
    }

    int execute(List<String> args) {
        Options options;
        Settings settings;
        SubmissionRequest request;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.println(Options.USAGE);
                out.println("Runs FILE on Crucible (CRUCIBLE_URL, CRUCIBLE_KEY, CRUCIBLE_CA), shows its output live, and");
                out.println("exits with its exit code; with --test IN:OUT (repeatable), 0 when every test passes, else 1.");
                out.flush();
                return 0;
            }
            settings = Settings.from(env);
            request = Requests.of(options);
        } catch (UsageException e) {
            return usage(e.getMessage());
        }
        Crucible.Builder builder = Crucible.builder(settings.url(), settings.key());
        if (settings.ca().isPresent()) {
            builder = builder.trustCertificate(settings.ca().get());
        }
        try (Crucible crucible = builder.build()) {
            String runtime = options.runtime().isPresent() ? options.runtime().get()
                    : RuntimeInference.infer(options.source(), crucible.runtimes());
            Submission queued = crucible.submit(request.runtime(runtime));
            err.println(Outcome.NOTE + "submission " + queued.getId() + " (" + runtime + ")");
            err.flush();
            AtomicBoolean over = new AtomicBoolean();
            Thread cancel = cancelOnInterrupt ? cancelOnExit(crucible, queued.getId(), over) : null;
            LiveOutput live = new LiveOutput(out, err);
            Submission done;
            try {
                done = crucible.watch(queued.getId(), DEADLINE, live);
            } finally {
                over.set(true);
                if (cancel != null) {
                    try {
                        java.lang.Runtime.getRuntime().removeShutdownHook(cancel);
                    } catch (IllegalStateException shuttingDown) {
                        // The hook is running or ran; it saw over.
                    }
                }
            }
            return Outcome.report(done, live, !options.tests().isEmpty(), out, err);
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (CrucibleTimeoutException e) {
            err.println("crucible run: " + e.getMessage());
            err.flush();
            return CRUCIBLE_FAILED;
        } catch (CrucibleException e) {
            err.println("crucible run: " + e.getMessage());
            err.flush();
            int status = e.status();
            return status == 400 || status == 413 || status == 422 ? USAGE : CRUCIBLE_FAILED;
        }
    }

    private int usage(String message) {
        err.println("crucible run: " + message);
        err.println(Options.USAGE);
        err.flush();
        return USAGE;
    }

    /** On Ctrl-C (or any exit before the result), the submission is cancelled rather than left running. */
    private Thread cancelOnExit(Crucible crucible, UUID id, AtomicBoolean over) {
        Thread hook = new Thread(() -> {
            if (over.get()) {
                return;
            }
            Thread cancelling = new Thread(() -> {
                try {
                    crucible.cancel(id);
                    err.println(Outcome.NOTE + "cancelled submission " + id);
                } catch (CrucibleException e) {
                    err.println(Outcome.NOTE + "could not cancel submission " + id + ": " + e.getMessage());
                }
                err.flush();
            }, "crucible-cancel");
            cancelling.setDaemon(true);
            cancelling.start();
            try {
                cancelling.join(CANCEL_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "crucible-cancel-on-exit");
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
