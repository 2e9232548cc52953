package dev.crucible.api.submission;

import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.InputEncoding;
import dev.crucible.api.model.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Files a request gives by path and content ({@code files}: a submission's, a session's start), checked one way for all. */
public final class SourceFiles {
    private SourceFiles() {}

    /** A file that passed, with its place in the request's list and its bytes decoded. */
    public record Checked(int index, String path, byte[] content) {}

    /**
     * The files of {@code given} (null: none), each path checked and decoded, with every problem added to
     * {@code errors} under {@code field} ({@code files[i].path}...): more than {@code maxFiles}, a null entry,
     * a bad or repeated path, bad base64, more than {@code maxTotalBytes} together, a file that is also a folder.
     */
    public static List<Checked> check(List<FieldError> errors, String field, List<SourceFile> given, int maxFiles, long maxTotalBytes) {
        List<SourceFile> files = given == null ? List.of() : given;
        if (files.size() > maxFiles) {
            errors.add(new FieldError(field, "has " + files.size() + " files; at most " + maxFiles));
        }
        List<Checked> checked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            SourceFile file = files.get(i);
            String item = field + "[" + i + "]";
            if (file == null) {
                errors.add(new FieldError(item, "is null"));
                continue;
            }
            checkPath(errors, item + ".path", file.getPath(), seen);
            byte[] content = file.getContent() == null ? new byte[0] : bytes(errors, item + ".content", file.getContent(), file.getEncoding());
            total += content.length;
            checked.add(new Checked(i, file.getPath(), content));
        }
        if (total > maxTotalBytes) {
            errors.add(new FieldError(field, "hold " + total + " bytes together; at most " + maxTotalBytes));
        }
        String clash = FilePaths.clashes(seen);
        if (clash != null) {
            errors.add(new FieldError(field, clash));
        }
        return checked;
    }

    /** A path's problem, or its second mention among {@code seen}, as an error of {@code field}. */
    static void checkPath(List<FieldError> errors, String field, String path, Set<String> seen) {
        String problem = FilePaths.problem(path);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        } else if (!seen.add(path)) {
            errors.add(new FieldError(field, "'" + path + "' is given twice"));
        }
    }

    /** The bytes a text field stands for: its UTF-8, or what its base64 decodes to. */
    public static byte[] bytes(List<FieldError> errors, String field, String value, InputEncoding encoding) {
        if (encoding == InputEncoding.BASE64) {
            try {
                return Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, "is not valid base64"));
                return new byte[0];
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
