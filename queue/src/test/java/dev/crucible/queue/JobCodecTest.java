package dev.crucible.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Jobs as they travel on the job stream: one flat JSON object, whatever Job's parts are in Java. */
class JobCodecTest {
    private static final UUID ID = UUID.fromString("5f0c7d8e-0000-4000-8000-000000000001");

    /** What the api wrote while Job had its twelve components side by side (and still writes). */
    private static final String FLAT = "{\"submissionId\":\"5f0c7d8e-0000-4000-8000-000000000001\",\"runtime\":\"python\","
            + "\"files\":[{\"path\":\"main.py\",\"content\":\"AAEC\"}],\"entryFile\":\"main.py\",\"stdin\":\"aW4=\","
            + "\"args\":[\"a b\"],\"limits\":{\"wallTimeMs\":1000,\"memoryMb\":64,\"outputBytes\":1024},"
            + "\"tests\":[{\"name\":\"t\",\"stdin\":null,\"args\":null,\"expectedOutput\":\"b2s=\"}],\"comparison\":\"EXACT\","
            + "\"mergeStderr\":true,\"runs\":1,\"outputFiles\":[\"out.txt\"]}";

    private static Job job() {
        return new Job(ID, "python", new Job.Code(List.of(new Job.JobFile("main.py", new byte[] {0, 1, 2})), "main.py"),
                new Job.Input("in".getBytes(), List.of("a b")), new Job.JobLimits(1000, 64, 1024),
                new Job.Testing(List.of(new Job.JobTest("t", null, null, "ok".getBytes())), Job.Comparison.EXACT),
                new Job.RunOptions(true, 1, List.of("out.txt")));
    }

    private static Job read(String json) {
        return new Codec().read(json, Job.class, "1-0");
    }

    @Test
    void jobIsWrittenAsTheFlatObjectItAlwaysWas() {
        assertEquals(FLAT, new JobCodec().encode(job()));
    }

    @Test
    void flatJobIsReadIntoItsParts() {
        Job read = read(FLAT);
        assertEquals(ID, read.submissionId());
        assertEquals("main.py", read.code().entryFile());
        assertArrayEquals(new byte[] {0, 1, 2}, read.code().files().getFirst().content());
        assertArrayEquals("in".getBytes(), read.input().stdin());
        assertEquals(List.of("a b"), read.input().args());
        assertEquals(new Job.JobLimits(1000, 64, 1024), read.limits());
        assertEquals("t", read.testing().tests().getFirst().name());
        assertEquals(Job.Comparison.EXACT, read.testing().comparison());
        assertEquals(new Job.RunOptions(true, 1, List.of("out.txt")), read.options());
    }

    @Test
    void compileOptionsTravelWithTheCode() {
        Job job = job();
        Job withOptions = new Job(job.submissionId(), "c", new Job.Code(job.code().files(), "main.c", List.of("-O0", "-DX=1")),
                job.input(), job.limits(), job.testing(), job.options());
        assertEquals(List.of("-O0", "-DX=1"), read(new JobCodec().encode(withOptions)).code().compileOptions());
        assertEquals(List.of(), read(FLAT).code().compileOptions());
    }

    @Test
    void sandboxBudgetTravelsInTheLimits() {
        Job job = job();
        Job budgeted = new Job(job.submissionId(), job.runtime(), job.code(), job.input(), new Job.JobLimits(1000, 64, 1024, 7000),
                job.testing(), job.options());
        assertEquals(7000, read(new JobCodec().encode(budgeted)).limits().sandboxMs());
    }

    @Test
    void jobFromBeforeBudgetsHasNone() {
        assertEquals(0, read(FLAT).limits().sandboxMs());
    }

    @Test
    void jobFromBeforeTestsRunsAndOutputFilesGetsTheirDefaults() {
        Job read = read("{\"submissionId\":\"5f0c7d8e-0000-4000-8000-000000000001\",\"runtime\":\"python\","
                + "\"files\":[{\"path\":\"main.py\",\"content\":\"\"}],\"entryFile\":\"main.py\",\"stdin\":\"\",\"args\":[],"
                + "\"limits\":{\"wallTimeMs\":1000,\"memoryMb\":64,\"outputBytes\":1024}}");
        assertTrue(read.testing().tests().isEmpty());
        assertEquals(Job.Comparison.TRAILING_WHITESPACE, read.testing().comparison());
        assertEquals(Job.RunOptions.ONCE, read.options());
    }
}
