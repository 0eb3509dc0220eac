package qdrantbackup.command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import qdrantbackup.restore.Inbox;
import qdrantbackup.restore.RestoreReport;
import qdrantbackup.transfer.SafeFiles;

/**
 * {@code restore COLLECTION [--snapshot latest|NAME] [--target NAME] [--replace]}: disaster recovery from a
 * terminal. It is the inbox's restore (routes/restore.camel.yaml, {@code direct:restore}) fed a request file it
 * writes into the inbox itself: the same steps, checks, safety copy and report under inbox/done/ or failed/,
 * with the archive lock taken as every writer does (a running daemon must be stopped first, or given the request).
 */
public final class RestoreCommand implements Command {
    static final String SNAPSHOT = "--snapshot";
    static final String TARGET = "--target";
    static final String REPLACE = "--replace";
    /** Exit codes: 0 restored and healthy, 1 failed (rolled back), 2 bad arguments, 5 refused (nothing changed). */
    static final int FAILED = 1;

    static final int BAD_ARGUMENTS = 2;
    static final int REFUSED = 5;
    private static final String SYNOPSIS = "restore COLLECTION [--snapshot latest|NAME] [--target NAME] [--replace]";
    private static final Usage USAGE = new Usage(
            "restore",
            "COLLECTION",
            List.of("--snapshot latest|NAME", "--target NAME", REPLACE),
            "restore a backup now as the inbox does (0 = healthy, 5 = refused)");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    public int run(CommandLine line, PrintStream out) throws Exception {
        String problem = problem(line);
        if (problem != null) {
            out.println("restore: " + problem + "; usage: " + SYNOPSIS);
            return BAD_ARGUMENTS;
        }
        Main main = Launcher.start(line, Launcher.oneShot());
        try {
            Path inbox = Path.of(main.getCamelContext().resolvePropertyPlaceholders("{{restore.inbox.dir:inbox}}"));
            SafeFiles.createPrivateDirectories(inbox);
            Path request = inbox.resolve("restore-command-" + STAMP.format(Instant.now()) + "-"
                    + ProcessHandle.current().pid() + ".restore.json");
            SafeFiles.writeJson(request, request(line));
            RestoreReport report = main.getCamelContext()
                    .createProducerTemplate()
                    .requestBodyAndHeader(
                            "direct:restore", null, "CamelFileAbsolutePath", request.toString(), RestoreReport.class);
            out.println("restore " + report.line());
            if (!report.isOk()) {
                out.println("why: " + report.getReason());
            }
            out.println("report: " + reportFile(inbox, report, request));
            return switch (report.getOutcome()) {
                case RESTORED -> 0;
                case REFUSED -> REFUSED;
                default -> FAILED;
            };
        } finally {
            main.stop();
        }
    }

    /** What is wrong with the arguments (before anything starts), or null. */
    static String problem(CommandLine line) {
        if (line.argument() == null) {
            return "name the collection to restore (e.g. restore products)";
        }
        for (String flag : line.flags()) {
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (!List.of(SNAPSHOT, TARGET, REPLACE).contains(name)) {
                return "unknown flag " + name;
            }
            if (!name.equals(REPLACE) && (!flag.contains("=") || flag.endsWith("="))) {
                return name + " needs a value ("
                        + (name.equals(SNAPSHOT)
                                ? "latest or a snapshot file name"
                                : "the" + " collection to restore into")
                        + ")";
            }
        }
        return null;
    }

    private static Map<String, Object> request(CommandLine line) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("collection", line.argument());
        String snapshot = line.value(SNAPSHOT);
        r.put("snapshot", snapshot == null ? "latest" : snapshot);
        String target = line.value(TARGET);
        if (target != null) {
            r.put("target", target);
        }
        r.put("replace", line.has(REPLACE));
        return r;
    }

    private static Path reportFile(Path inbox, RestoreReport report, Path request) {
        Path folder = inbox.resolve(report.isOk() ? Inbox.DONE : Inbox.FAILED);
        Path file = folder.resolve(request.getFileName() + Inbox.REPORT);
        return Files.exists(file) ? file : folder;
    }
}
