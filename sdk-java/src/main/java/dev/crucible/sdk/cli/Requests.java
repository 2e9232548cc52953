package dev.crucible.sdk.cli;

import dev.crucible.sdk.model.InputEncoding;
import dev.crucible.sdk.model.SubmissionRequest;
import dev.crucible.sdk.model.TestCase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The submission the command line makes of its files; the runtime is set later (it may need the server). */
final class Requests {
    /** TestCase.name is at most this long. */
    private static final int NAME_LIMIT = 128;

    private Requests() {}

    static SubmissionRequest of(Options options) throws UsageException {
        SubmissionRequest request = new SubmissionRequest();
        byte[] source = read(options.source(), "the program file");
        Optional<String> text = utf8(source);
        if (text.isPresent()) {
            request.source(text.get());
        } else {
            request.source(Base64.getEncoder().encodeToString(source)).sourceEncoding(InputEncoding.BASE64);
        }
        if (options.stdin().isPresent()) {
            byte[] stdin = read(options.stdin().get(), "--stdin");
            Optional<String> input = utf8(stdin);
            if (input.isPresent()) {
                request.stdin(input.get());
            } else {
                request.stdin(Base64.getEncoder().encodeToString(stdin)).stdinEncoding(InputEncoding.BASE64);
            }
        }
        if (!options.tests().isEmpty()) {
            List<TestCase> tests = new ArrayList<>();
            for (Options.TestFiles test : options.tests()) {
                tests.add(new TestCase().name(name(test.input()))
                        .stdin(text(test.input(), "--test input"))
                        .expectedOutput(text(test.expected(), "--test expected output")));
            }
            request.tests(tests);
        }
        return request;
    }

    private static String name(Path input) {
        String name = input.getFileName() == null ? input.toString() : input.getFileName().toString();
        return name.length() <= NAME_LIMIT ? name : name.substring(0, NAME_LIMIT);
    }

    /** Test cases carry text only: the API has no encoding for their fields. */
    private static String text(Path file, String what) throws UsageException {
        return utf8(read(file, what)).orElseThrow(() -> new UsageException(
                what + " " + file + " is not UTF-8 text, and a test case takes only text"));
    }

    private static byte[] read(Path file, String what) throws UsageException {
        try {
            if (Files.isDirectory(file)) {
                throw new UsageException(what + " " + file + " is a folder, not a file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UsageException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notText) {
            return Optional.empty();
        }
    }
}
