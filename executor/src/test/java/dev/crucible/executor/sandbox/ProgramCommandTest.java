package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramCommandTest {
    private static final SandboxSpec.Limits LIMITS = SandboxSpec.Limits.of(Duration.ofSeconds(1), 64L << 20, 1024);

    private static SandboxSpec spec(List<SandboxSpec.SandboxFile> files, String stdin) {
        return SandboxSpec.program("run-1", "image", List.of("python3", "main.py"), files, stdin.getBytes(StandardCharsets.UTF_8),
                LIMITS);
    }

    private static SandboxSpec.SandboxFile file(String path, String content) {
        return new SandboxSpec.SandboxFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void smallTextFilesAndStdinFollowTheScriptAsItsArguments() {
        List<String> argv = ProgramCommand.withFilesInline(spec(List.of(file("main.py", "print(input())"), file("data.txt", "x")),
                "ping\n")).orElseThrow();
        assertEquals(List.of("sandbox", "2", "main.py", "print(input())", "data.txt", "x", "ping\n", "python3", "main.py"),
                argv.subList(3, argv.size()));
    }

    @Test
    void requestDataNeverBecomesTheScriptsText() {
        String hostile = "$(touch /tmp/pwned)`id`;\"'\n%s\\";
        List<String> argv = ProgramCommand.withFilesInline(spec(List.of(file("$(touch x)`id`;\"'%s", hostile)),
                hostile)).orElseThrow();
        List<String> plain = ProgramCommand.withFilesInline(spec(List.of(file("main.py", "")), "")).orElseThrow();
        assertEquals(plain.subList(0, 3), argv.subList(0, 3));
    }

    @Test
    void theStdinRedirectIsTheSameWhetherFilesAreInlineOrCopied() {
        SandboxSpec spec = spec(List.of(file("main.py", "")), "").mergingStderr(true);
        String copied = ProgramCommand.afterCopy(spec).get(2);
        assertTrue(ProgramCommand.withFilesInline(spec).orElseThrow().get(2).endsWith(copied), copied);
        assertTrue(copied.endsWith("< /io/stdin 2>&1"), copied);
    }

    @Test
    void aFileInAFolderIsCopied() {
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(file("lib/util.py", "")), "")).isEmpty());
    }

    @Test
    void anExecutableFileIsCopied() {
        SandboxSpec.SandboxFile script = new SandboxSpec.SandboxFile("run.sh", "true".getBytes(StandardCharsets.UTF_8), true);
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(script), "")).isEmpty());
    }

    @Test
    void aLinkIsCopied() {
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(SandboxSpec.SandboxFile.link("a", "b")), "")).isEmpty());
    }

    @Test
    void aFileWithANulByteIsCopied() {
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(file("main.py", "a\0b")), "")).isEmpty());
    }

    @Test
    void aFileThatIsNotUtf8IsCopied() {
        SandboxSpec.SandboxFile binary = new SandboxSpec.SandboxFile("blob", new byte[] {(byte) 0xc3, (byte) 0x28});
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(binary), "")).isEmpty());
    }

    @Test
    void stdinThatIsNotTextIsCopied() {
        SandboxSpec spec = SandboxSpec.program("run-1", "image", List.of("true"), List.of(), new byte[] {(byte) 0xff}, LIMITS);
        assertTrue(ProgramCommand.withFilesInline(spec).isEmpty());
    }

    @Test
    void aWorkspaceOverTheBudgetIsCopied() {
        String half = "x".repeat(ProgramCommand.INLINE_JSON_BYTES / 2);
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(file("a", half)), half)).isEmpty());
    }

    @Test
    void controlCharactersCountAsTheirJsonEscapes() {
        String bells = "\u0007".repeat(ProgramCommand.INLINE_JSON_BYTES / 6 + 1);
        assertTrue(ProgramCommand.withFilesInline(spec(List.of(file("a", bells)), "")).isEmpty());
    }
}
