package dev.crucible.api.submission;

import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.Limits;
import dev.crucible.api.model.ProjectRequest;
import dev.crucible.api.model.SourceFile;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.TestCase;
import dev.crucible.queue.Job;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a submission asked for, as a request that would submit it again: its project, or its files (always as
 * {@code files}, the entry file first, so no name is lost), input, options, tests and the limits it
 * ran with. Never its callback URL, which may carry a token of the caller's receiver.
 */
final class SubmittedRequest {
    private SubmittedRequest() {}

    static SubmissionRequest of(Job job) {
        SubmissionRequest request = new SubmissionRequest().runtime(job.runtime())
                .limits(new Limits().wallTimeMs(job.limits().wallTimeMs()).memoryMb(job.limits().memoryMb()));
        Job.Project project = job.code().project();
        if (project == null) {
            request.files(job.code().files().stream().map(SubmittedRequest::file).toList());
        } else {
            request.project(new ProjectRequest().archive(Base64.getEncoder().encodeToString(project.archive()))
                    .testCommand(project.testCommand()).reportPaths(project.reportPaths()));
        }
        if (job.input().stdin().length > 0) {
            Text stdin = Text.of(job.input().stdin());
            request.stdin(stdin.text()).stdinEncoding(stdin.encoding());
        }
        if (!job.input().args().isEmpty()) {
            request.args(job.input().args());
        }
        if (!job.code().compileOptions().isEmpty()) {
            request.compileOptions(job.code().compileOptions());
        }
        if (job.options().mergeStderr()) {
            request.mergeStderr(true);
        }
        if (job.options().runs() > 1) {
            request.runs(job.options().runs());
        }
        if (!job.options().outputFiles().isEmpty()) {
            request.outputFiles(job.options().outputFiles());
        }
        if (!job.testing().tests().isEmpty()) {
            request.tests(job.testing().tests().stream().map(SubmittedRequest::test).toList())
                    .compare(SubmissionRequest.CompareEnum.valueOf(job.testing().comparison().name()));
        }
        return request;
    }

    private static SourceFile file(Job.JobFile file) {
        Text content = Text.of(file.content());
        return new SourceFile().path(file.path()).content(content.text()).encoding(content.encoding());
    }

    /** Tests are text in a request: their bytes came from UTF-8 strings. */
    private static TestCase test(Job.JobTest test) {
        TestCase answer = new TestCase().name(test.name()).expectedOutput(new String(test.expectedOutput(), StandardCharsets.UTF_8));
        if (test.stdin() != null) {
            answer.stdin(new String(test.stdin(), StandardCharsets.UTF_8));
        }
        if (test.args() != null) {
            answer.args(test.args());
        }
        return answer;
    }

    /** Bytes as the request would carry them: UTF-8 text when they are, else base64. */
    private record Text(String text, InputEncoding encoding) {
        static Text of(byte[] bytes) {
            try {
                return new Text(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString(), InputEncoding.UTF8);
            } catch (CharacterCodingException notText) {
                return new Text(Base64.getEncoder().encodeToString(bytes), InputEncoding.BASE64);
            }
        }
    }
}
