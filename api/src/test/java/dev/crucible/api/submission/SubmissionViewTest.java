package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crucible.api.model.OutputEncoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SubmissionViewTest {
    @Test
    void validUtf8StaysText() {
        var text = SubmissionView.text("héllo ✓\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(OutputEncoding.UTF8, text.encoding());
        assertEquals("héllo ✓\n", text.value());
    }

    @Test
    void nulByteForcesBase64() {
        var text = SubmissionView.text(new byte[] {'a', 0, 'b'});
        assertEquals(OutputEncoding.BASE64, text.encoding());
        assertEquals("YQBi", text.value());
    }

    @Test
    void multiByteCharacterCutByTheCapForcesBase64() {
        byte[] check = "✓".getBytes(StandardCharsets.UTF_8);
        var text = SubmissionView.text(new byte[] {check[0], check[1]});
        assertEquals(OutputEncoding.BASE64, text.encoding());
    }
}
