package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.queue.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubmittedRequestTest {
    private static Job job(List<Job.JobFile> files, byte[] stdin, Job.Testing testing, Job.RunOptions options) {
        return new Job(UUID.randomUUID(), "python", new Job.Code(files, files.getFirst().path()), new Job.Input(stdin, List.of()),
                new Job.JobLimits(5000, 256, 65536), testing, options);
    }

    @Test
    void bytesThatAreNotUtf8ComeBackAsBase64() {
        byte[] binary = {(byte) 0xff, 0, 1};
        SubmissionRequest request = SubmittedRequest.of(job(List.of(new Job.JobFile("main.py", "print(1)".getBytes()),
                new Job.JobFile("data.bin", binary)), binary, Job.Testing.NONE, Job.RunOptions.ONCE));
        assertEquals(InputEncoding.UTF8, request.getFiles().get(0).getEncoding());
        assertEquals(InputEncoding.BASE64, request.getFiles().get(1).getEncoding());
        assertEquals(Base64.getEncoder().encodeToString(binary), request.getFiles().get(1).getContent());
        assertEquals(InputEncoding.BASE64, request.getStdinEncoding());
    }

    @Test
    void testsAndTheirComparisonComeBack() {
        SubmissionRequest request = SubmittedRequest.of(job(List.of(new Job.JobFile("main.py", "print(input())".getBytes())), new byte[0],
                new Job.Testing(List.of(new Job.JobTest("one", "a".getBytes(StandardCharsets.UTF_8), null, "a".getBytes())), Job.Comparison.EXACT),
                Job.RunOptions.ONCE));
        assertEquals("one", request.getTests().getFirst().getName());
        assertEquals("a", request.getTests().getFirst().getStdin());
        assertEquals(SubmissionRequest.CompareEnum.EXACT, request.getCompare());
        assertNull(request.getStdin(), "no stdin was given");
    }

    @Test
    void repeatedRunsAndOutputFilesComeBack() {
        SubmissionRequest request = SubmittedRequest.of(job(List.of(new Job.JobFile("main.py", "x".getBytes())), new byte[0],
                Job.Testing.NONE, new Job.RunOptions(true, 3, List.of("out.txt"))));
        assertEquals(3, request.getRuns());
        assertEquals(List.of("out.txt"), request.getOutputFiles());
        assertEquals(Boolean.TRUE, request.getMergeStderr());
    }
}
