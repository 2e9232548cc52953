package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON columns still read the rows the flat result model wrote, and are written in the same shape. */
class StoredJsonTest {
    private static final String OLD_TESTS = """
            [{"name":"two","verdict":"WRONG_ANSWER","exitCode":0,"signal":null,"stdout":"NQo=","stdoutTruncatedBytes":0,
              "stderr":"","stderrTruncatedBytes":3,"wallTimeMs":40,"usage":{"cpuTimeMs":12,"peakMemoryKb":900}}]""";
    private static final String OLD_PROVENANCE = """
            {"runtime":"python","runtimeVersion":"3.11","image":"crucible/python:3.11","imageId":"sha256:ab",
             "sandbox":"runsc","executor":"executor-1","filesSha256":"cd","wallTimeMs":5000,"memoryMb":256}""";
    private static final String OLD_RUNS = """
            [{"verdict":"TIME_LIMIT_EXCEEDED","exitCode":null,"signal":"SIGKILL","wallTimeMs":1000,"usage":null}]""";

    @Test
    void testResultsStoredByTheFlatModelStillRead() {
        ExecutionEvent.TestOutcome test = StoredJson.read(OLD_TESTS, StoredJson.TESTS).getFirst();
        assertEquals(new ExecutionEvent.ProgramResult(Verdict.WRONG_ANSWER, 0, null, 40L, new ExecutionEvent.Usage(12L, 900)),
                test.result());
        assertEquals("5\n", new String(test.output().stdout()));
        assertEquals(3, test.output().stderrTruncatedBytes());
    }

    @Test
    void provenanceStoredWithTheOldLimitNamesStillReads() {
        ExecutionEvent.Provenance provenance = StoredJson.read(OLD_PROVENANCE, StoredJson.PROVENANCE);
        assertEquals(5000, provenance.limits().wallTimeLimitMs());
        assertEquals(256, provenance.limits().memoryLimitMb());
    }

    @Test
    void runResultsStoredByTheFlatModelStillRead() {
        assertEquals(List.of(new ExecutionEvent.ProgramResult(Verdict.TIME_LIMIT_EXCEEDED, null, "SIGKILL", 1000L, null)),
                StoredJson.read(OLD_RUNS, StoredJson.RUNS));
    }

    @Test
    void provenanceIsWrittenWithTheStoredNames() {
        String written = StoredJson.write(StoredJson.read(OLD_PROVENANCE, StoredJson.PROVENANCE));
        assertTrue(written.contains("\"wallTimeMs\":5000") && written.contains("\"memoryMb\":256"), written);
    }

    @Test
    void testResultsAreWrittenFlat() {
        String written = StoredJson.write(StoredJson.read(OLD_TESTS, StoredJson.TESTS));
        assertTrue(written.contains("\"verdict\":\"WRONG_ANSWER\"") && written.contains("\"stderrTruncatedBytes\":3")
                && !written.contains("\"result\"") && !written.contains("\"output\""), written);
    }
}
