package dev.crucible.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeImagesTest {
    @TempDir
    Path dir;

    private static final String C = """
            {"name":"c","version":"12","packages":["gcc","libc6-dev"],"source_file":"main.c",
             "compile":["gcc","main.c"],"run":["./a.out"],"default_limits":{"wall_time_ms":5000,"memory_mb":256}}""";

    private String print() {
        var bytes = new ByteArrayOutputStream();
        RuntimeImages.print(RuntimeCatalog.load(dir), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsNameImageTagAndCommaJoinedPackagesPerManifest() throws Exception {
        Files.writeString(dir.resolve("c.json"), C);
        String tag = RuntimeCatalog.load(dir).find("c").orElseThrow().image().tag();
        assertEquals("c\t" + tag + "\tgcc,libc6-dev" + System.lineSeparator(), print());
    }

    /** The recipe goes into the hash: a change of how images are built gives every image a new tag, built anew. */
    @Test
    void imageTagIsTheFirstTwelveHexDigitsOfTheRecipeAndTheManifestsSha256() throws Exception {
        Files.writeString(dir.resolve("c.json"), C);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(("crucible image recipe " + ManifestParser.IMAGE_RECIPE + "\n").getBytes(StandardCharsets.US_ASCII));
        String sha256 = HexFormat.of().formatHex(digest.digest(C.getBytes(StandardCharsets.UTF_8)));
        assertEquals("crucible-runtime/c:" + sha256.substring(0, 12), RuntimeCatalog.load(dir).find("c").orElseThrow().image().tag());
    }
}
