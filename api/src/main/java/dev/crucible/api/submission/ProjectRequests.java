package dev.crucible.api.submission;

import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.ProjectRequest;
import dev.crucible.archive.ArchiveRefusedException;
import dev.crucible.archive.ProjectArchive;
import dev.crucible.queue.Job;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a submitted project: an archive {@link ProjectArchive} reads without refusal, a test command
 * that fits the sandbox's exec, and report paths that stay inside the work folder whatever their
 * patterns match.
 */
final class ProjectRequests {
    /** Where the common test runners leave their reports when told to, or by their own default. */
    static final List<String> DEFAULT_REPORT_PATHS = List.of("report.xml", "TEST-*.xml", "reports/*.xml", "test-reports/*.xml");
    static final int REPORT_PATHS = 8;
    static final int TEST_COMMAND_ITEMS = 64;

    private ProjectRequests() {}

    /** The project as the job carries it; what is wrong is added to {@code errors}. */
    static Job.Project validate(List<FieldError> errors, ProjectRequest project) {
        byte[] archive = archive(errors, project.getArchive());
        List<String> command = project.getTestCommand() == null ? List.of() : project.getTestCommand();
        if (command.isEmpty()) {
            errors.add(new FieldError("project.test_command", "is missing; an argv of at least one item is expected"));
        } else if (command.size() > TEST_COMMAND_ITEMS) {
            errors.add(new FieldError("project.test_command", "has " + command.size() + " items; at most " + TEST_COMMAND_ITEMS));
        } else {
            command = SubmissionValidator.args(errors, "project.test_command", command);
        }
        List<String> reports = project.getReportPaths() == null || project.getReportPaths().isEmpty()
                ? DEFAULT_REPORT_PATHS : project.getReportPaths();
        if (reports.size() > REPORT_PATHS) {
            errors.add(new FieldError("project.report_paths", "has " + reports.size() + " paths; at most " + REPORT_PATHS));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            String problem = reportPathProblem(reports.get(i));
            if (problem != null) {
                errors.add(new FieldError("project.report_paths[" + i + "]", problem));
            } else if (!seen.add(reports.get(i))) {
                errors.add(new FieldError("project.report_paths[" + i + "]", "'" + reports.get(i) + "' is given twice"));
            }
        }
        return errors.isEmpty() ? new Job.Project(archive, command, reports) : null;
    }

    private static byte[] archive(List<FieldError> errors, String base64) {
        if (base64 == null || base64.isEmpty()) {
            errors.add(new FieldError("project.archive", "is missing; a base64 .tar.gz, .tar or .zip is expected"));
            return new byte[0];
        }
        byte[] archive;
        try {
            archive = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("project.archive", "is not valid base64"));
            return new byte[0];
        }
        try {
            ProjectArchive.read(archive, ProjectArchive.Limits.DEFAULT);
        } catch (ArchiveRefusedException e) {
            errors.add(new FieldError("project.archive", e.getMessage()));
        }
        return archive;
    }

    /**
     * What is wrong with a report path, or null. A part that starts with "." and holds a pattern
     * character could match "." or "..": such parts are refused, so that no pattern reaches out of
     * the work folder (the sandbox's collector skips such matches too).
     */
    static String reportPathProblem(String path) {
        String problem = FilePaths.problem(path);
        if (problem != null) {
            return problem;
        }
        for (String part : path.split("/")) {
            if (part.startsWith(".") && part.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
                return "must not have a part that starts with '.' and holds a pattern ('" + part + "' could match '..')";
            }
        }
        return null;
    }
}
