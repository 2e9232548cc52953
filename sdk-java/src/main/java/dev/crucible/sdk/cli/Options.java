package dev.crucible.sdk.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arguments of {@code ./crucible run}: one program file, then options in any order. An option's
 * value follows it ({@code --stdin in.txt}) or is joined by {@code =}; {@code --} ends the options.
 */
record Options(Path source, Optional<Path> stdin, Optional<String> runtime, List<TestFiles> tests, boolean help) {
    static final String USAGE = "usage: ./crucible run FILE [--stdin FILE] [--runtime R] [--test IN:OUT ...]";

    /** One test case: the file given on its stdin, and the file its stdout must match. */
    record TestFiles(Path input, Path expected) {
        /** IN:OUT, split at the last colon (a colon in the expected file's name is not supported). */
        static TestFiles parse(String value) throws UsageException {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new UsageException("--test takes IN:OUT, an input file and an expected output file, not '" + value + "'");
            }
            return new TestFiles(path(value.substring(0, colon), "--test"), path(value.substring(colon + 1), "--test"));
        }
    }

    static Options parse(List<String> args) throws UsageException {
        Path source = null;
        Path stdin = null;
        String runtime = null;
        List<TestFiles> tests = new ArrayList<>();
        boolean help = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && (arg.equals("-h") || arg.equals("--help"))) {
                help = true;
            } else if (!optionsEnded && arg.startsWith("-") && arg.length() > 1) {
                int equals = arg.indexOf('=');
                String name = equals > 0 ? arg.substring(0, equals) : arg;
                String value;
                if (equals > 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    value = null;
                }
                switch (name) {
                    case "--stdin" -> {
                        if (stdin != null) {
                            throw new UsageException("--stdin is given twice; the program has one stdin");
                        }
                        stdin = path(required(name, value, "a file"), name);
                    }
                    case "--runtime" -> {
                        if (runtime != null) {
                            throw new UsageException("--runtime is given twice");
                        }
                        runtime = required(name, value, "a runtime name (GET /v1/runtimes lists them)");
                    }
                    case "--test" -> tests.add(TestFiles.parse(required(name, value, "IN:OUT, two files")));
                    default -> throw new UsageException("unknown option " + name);
                }
            } else if (source != null) {
                throw new UsageException("one program file only, but both " + source + " and " + arg + " are given");
            } else {
                source = path(arg, "the program file");
            }
        }
        if (help) {
            return new Options(null, Optional.empty(), Optional.empty(), List.of(), true);
        }
        if (source == null) {
            throw new UsageException("name the program file to run");
        }
        if (stdin != null && !tests.isEmpty()) {
            throw new UsageException("--stdin does not go with --test: each test's stdin is its IN file");
        }
        return new Options(source, Optional.ofNullable(stdin), Optional.ofNullable(runtime), List.copyOf(tests), false);
    }

    private static String required(String option, String value, String what) throws UsageException {
        if (value == null || value.isEmpty()) {
            throw new UsageException(option + " needs " + what);
        }
        return value;
    }

    private static Path path(String value, String what) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(what + ": '" + value + "' is not a file name: " + e.getReason());
        }
    }
}
