package dev.crucible.logging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class JsonLoggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ThreadMdcAdapter mdc = new ThreadMdcAdapter();
    private final Logger log = new JsonLoggerFactory(out, Level.INFO, mdc).getLogger("dev.crucible.Example");

    @Test
    void writesOneObjectPerLineWithTimeLevelLoggerThreadAndMessage() throws IOException {
        log.info("submission {} finished: {}", "s-1", "ACCEPTED");

        JsonNode line = onlyLine();
        assertTrue(line.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line.toString());
        assertEquals("INFO", line.get("level").asText());
        assertEquals("dev.crucible.Example", line.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), line.get("thread").asText());
        assertEquals("submission s-1 finished: ACCEPTED", line.get("message").asText());
        assertNull(line.get("error"));
    }

    @Test
    void namesAnUnnamedVirtualThreadByItsId() throws Exception {
        Thread thread = Thread.ofVirtual().start(() -> log.info("from a virtual thread"));
        thread.join();

        assertEquals("#" + thread.threadId(), onlyLine().get("thread").asText());
    }

    @Test
    void escapesControlCharactersInMessages() throws IOException {
        String hostile = "a\"b\\c\nd\re\tf\u0000g\u0001h\u001b[31mi\u007fj\u009bk\u2028l";
        log.warn("got {}", hostile);

        String raw = out.toString(StandardCharsets.UTF_8);
        assertEquals(raw.length() - 1, raw.indexOf('\n'), "a single line: " + raw);
        assertFalse(raw.chars().anyMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f), raw);
        assertEquals("got " + hostile, onlyLine().get("message").asText());
    }

    @Test
    void keepsCharactersBeyondTheBasicPlaneAndEscapesLoneSurrogates() throws IOException {
        log.info("emoji \uD83D\uDE00, clef \uD834\uDD1E, lone \uD800 and \uDC00");

        String raw = out.toString(StandardCharsets.UTF_8);
        assertTrue(raw.contains("emoji \uD83D\uDE00, clef \uD834\uDD1E"), raw);
        assertTrue(raw.contains("lone \\ud800 and \\udc00"), raw);
        assertEquals("emoji \uD83D\uDE00, clef \uD834\uDD1E, lone \uD800 and \uDC00", onlyLine().get("message").asText());
    }

    @Test
    void includesMdcEntriesAsFields() throws IOException {
        mdc.put("submission", "0b6e6f4e-5f55-4a55-9a43-5a0d7c7c1f11");
        mdc.put("job", "1717-0");
        log.info("running");
        mdc.remove("submission");
        mdc.remove("job");
        log.info("idle");

        List<JsonNode> lines = lines();
        assertEquals("0b6e6f4e-5f55-4a55-9a43-5a0d7c7c1f11", lines.get(0).get("submission").asText());
        assertEquals("1717-0", lines.get(0).get("job").asText());
        assertNull(lines.get(1).get("submission"));
        assertNull(lines.get(1).get("job"));
    }

    @Test
    void aThreadStartedDuringOneSubmissionsWorkDoesNotNameIt() throws Exception {
        mdc.put("submission", "s-1");
        Thread started = Thread.ofPlatform().start(() -> log.info("from a pool thread"));
        started.join();
        mdc.remove("submission");

        assertNull(onlyLine().get("submission"));
    }

    @Test
    void escapesMdcKeysAndValuesToo() throws IOException {
        mdc.put("we\"ird", "line\nbreak");
        log.info("x");

        assertEquals("line\nbreak", onlyLine().get("we\"ird").asText());
    }

    @Test
    void writesThrowableAsErrorAndStack() throws IOException {
        var failure = new IllegalStateException("cannot \"store\"", new IOException("disk\nfull"));
        log.error("submission {} failed", "s-1", failure);

        JsonNode line = onlyLine();
        assertEquals("submission s-1 failed", line.get("message").asText());
        assertEquals("java.lang.IllegalStateException: cannot \"store\"", line.get("error").asText());
        String stack = line.get("stack").asText();
        assertTrue(stack.startsWith("java.lang.IllegalStateException: cannot \"store\"\n\tat dev.crucible.logging.JsonLoggerTest."), stack);
        assertTrue(stack.contains("Caused by: java.io.IOException: disk\nfull"), stack);
        assertFalse(stack.endsWith("\n"), stack);
    }

    @Test
    void dropsLinesBelowTheThreshold() throws IOException {
        Logger warnings = new JsonLoggerFactory(out, Level.WARN, mdc).getLogger("quiet");
        warnings.debug("not this");
        warnings.info("nor this");
        warnings.warn("but this");
        warnings.error("and this");

        assertFalse(warnings.isInfoEnabled());
        assertTrue(warnings.isWarnEnabled());
        assertEquals(List.of("WARN", "ERROR"), lines().stream().map(l -> l.get("level").asText()).toList());
    }

    @Test
    void readsTheLevelSettingInAnyCase() {
        assertEquals(Level.INFO, JsonLoggerFactory.level(null));
        assertEquals(Level.INFO, JsonLoggerFactory.level(""));
        assertEquals(Level.DEBUG, JsonLoggerFactory.level("debug"));
        assertEquals(Level.WARN, JsonLoggerFactory.level(" Warn "));
        assertNull(JsonLoggerFactory.level("verbose"));
    }

    @Test
    void neverThrowsIntoTheCaller() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        Logger logger = new JsonLoggerFactory(broken, Level.INFO, mdc).getLogger("broken");
        var badThrowable = new RuntimeException() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };

        assertDoesNotThrow(() -> logger.info("x"));
        assertDoesNotThrow(() -> log.error("failed", badThrowable));
    }

    @Test
    void linesOfConcurrentThreadsNeverInterleave() throws Exception {
        // Byte by byte, and unsynchronized: only the logger's lock keeps the lines whole.
        var bytes = new ArrayList<Byte>();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.add((byte) b);
            }
        };
        Logger logger = new JsonLoggerFactory(slow, Level.INFO, mdc).getLogger("busy");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    logger.info("thread {} line {} of a reasonably long message", thread, i);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        byte[] all = new byte[bytes.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = bytes.get(i);
        }
        List<String> lines = new String(all, StandardCharsets.UTF_8).lines().toList();
        assertEquals(8 * 200, lines.size());
        for (String line : lines) {
            assertTrue(JSON.readTree(line).get("message").asText().endsWith("of a reasonably long message"), line);
        }
    }

    @Test
    void isTheProviderSlf4jFinds() {
        assertInstanceOf(JsonLoggerFactory.class, LoggerFactory.getILoggerFactory());
    }

    private JsonNode onlyLine() throws IOException {
        List<JsonNode> lines = lines();
        assertEquals(1, lines.size());
        return lines.getFirst();
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            parsed.add(JSON.readTree(line));
        }
        return parsed;
    }
}
