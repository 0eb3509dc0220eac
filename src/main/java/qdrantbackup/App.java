package qdrantbackup;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import qdrantbackup.backup.BackupJob;
import qdrantbackup.backup.BackupRun;
import qdrantbackup.management.ManagementWiring;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.retention.Expire;
import qdrantbackup.store.BackupStore;

/**
 * Entry point. {@code java -jar qdrant-backup.jar [command] [--config FILE] [--routes DIR]}:
 * <ul>
 *   <li>{@code run} (default): the daemon — schedule, restore inbox, management port;</li>
 *   <li>{@code backup-now [collection]}: one backup run, a line per collection, exit 0 only when all succeeded.</li>
 * </ul>
 */
public final class App {
    private App() {}

    public static void main(String[] args) throws Exception {
        Cli cli = Cli.parse(args);
        if (cli.command.equals("help")) {
            System.out.println(Cli.USAGE);
            return;
        }
        int code;
        try {
            code = switch (cli.command) {
                case "run" -> run(cli);
                case "backup-now" -> backupNow(cli, System.out);
                case "expire" -> expire(cli, System.out);
                case "check" -> check(cli, System.out);
                case "list" -> {
                    ListCommand.logToStandardError();
                    yield ListCommand.run(cli, System.out);
                }
                default -> {
                    System.err.println("unknown command '" + cli.command + "'\n" + Cli.USAGE);
                    yield 2;
                }
            };
        } catch (StartupException e) {
            System.err.println("qdrant-backup cannot start: " + e.getMessage());
            code = 3;
        }
        System.exit(code);
    }

    /**
     * The daemon: starts first (so a start-up error is one line, exit 3, no stack trace), then runs
     * until stopped (SIGTERM: running transfers get camel.main.shutdown-timeout seconds).
     */
    static int run(Cli cli) throws Exception {
        Main main = start(cli.config, cli.routes, Map.of());
        main.run();
        return main.getExitCode();
    }

    /** A Camel Main set up as the daemon runs: settings file, YAML routes, beans. */
    public static Main create(Path config, Path routes, Map<String, String> overrides) {
        if (!Files.isReadable(config)) {
            throw new StartupException("settings file " + config.toAbsolutePath() + " is not readable: create it"
                    + " (see the README) or point --config at it");
        }
        if (!Files.isDirectory(routes)) {
            throw new StartupException("routes folder " + routes.toAbsolutePath() + " does not exist: point --routes"
                    + " at the folder holding the *.camel.yaml files");
        }
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + config.toAbsolutePath());
        main.configure().withName("qdrant-backup");
        main.configure().withRoutesIncludePattern("file:" + routes.toAbsolutePath() + "/*.camel.yaml");
        main.configure().addConfiguration(new Wiring());
        main.configure().addConfiguration(new ManagementWiring());
        // an edit of a route file takes effect without a restart (routes.reload)
        main.configure().addConfiguration(new qdrantbackup.reload.RouteReload(routes));
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** Starts Camel (non-blocking), for the one-shot commands and the tests. */
    public static Main start(Path config, Path routes, Map<String, String> overrides) throws Exception {
        Main main = create(config, routes, overrides);
        try {
            main.start();
        } catch (Exception e) {
            try {
                main.stop();
            } catch (RuntimeException ignored) {
                // the start-up error is what matters
            }
            throw new StartupException(startupMessage(e), e);
        }
        return main;
    }

    /**
     * The settings a one-shot command runs with: no schedule, no inbox, no management port, and no
     * start-up bucket check: a backup run probes the bucket itself (a refusal keeps that run's backups
     * local, and says so), and the S3 client is then still loading while the run starts.
     */
    static Map<String, String> oneShot() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("offsite.check-on-start", "false");
        o.put("backup.schedule.enabled", "false");
        o.put("restore.inbox.enabled", "false");
        o.put("retention.schedule.enabled", "false");
        o.put("camel.management.enabled", "false");
        o.put("routes.reload", "false");
        return o;
    }

    static int backupNow(Cli cli, PrintStream out) throws Exception {
        Main main = start(cli.config, cli.routes, oneShot());
        try {
            CamelContext camel = main.getCamelContext();
            BackupRun run = camel.createProducerTemplate()
                    .requestBodyAndHeader("direct:backup", null, "collection", cli.argument, BackupRun.class);
            if (run == null) {
                out.println("another backup run is still going; nothing done");
                return 1;
            }
            for (BackupJob job : run.getJobs()) {
                out.println(job.line());
            }
            if (run.getError() != null) {
                out.println("run failed: " + run.getError());
            }
            out.println(run.isOk() ? "backup succeeded" : "backup FAILED");
            return run.isOk() ? 0 : 1;
        } finally {
            main.stop();
        }
    }

    /**
     * {@code check}: starts as the daemon would (settings, routes, the bucket's write probe, the management
     * server on a free port), asks Qdrant for its version once, and stops; no route runs. 0 when the
     * daemon would start and Qdrant answers, 1 when Qdrant does not, 3 when a setting cannot work. The
     * build also runs it to record the classes a start loads (class-data sharing, see the README).
     */
    static int check(Cli cli, PrintStream out) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(oneShot());
        o.put("offsite.check-on-start", "true");
        o.put("camel.management.enabled", "true");
        o.put("camel.management.port", "0");
        Main main = start(cli.config, cli.routes, o);
        try {
            CamelContext camel = main.getCamelContext();
            out.println("settings: ok (" + cli.config + ", " + camel.getRoutes().size() + " routes from " + cli.routes
                    + ")");
            out.println("offsite: "
                    + camel.getRegistry()
                            .lookupByNameAndType("offsite", BackupStore.class)
                            .describe());
            QdrantClient qdrant = camel.getRegistry().lookupByNameAndType("qdrant", QdrantClient.class);
            try {
                out.println("qdrant: ok, version " + qdrant.ping(Duration.ofSeconds(5)) + " at " + qdrant.url());
                return 0;
            } catch (RuntimeException e) {
                out.println("qdrant: NOT OK: " + e.getMessage());
                return 1;
            }
        } finally {
            main.stop();
        }
    }

    /** {@code expire [--dry-run]}: applies retention everywhere now; the dry run deletes nothing. */
    @SuppressWarnings("unchecked")
    static int expire(Cli cli, PrintStream out) throws Exception {
        boolean dryRun = cli.flags.contains("--dry-run");
        Main main = start(cli.config, cli.routes, oneShot());
        try {
            List<Expire.Outcome> outcomes =
                    main.getCamelContext().createProducerTemplate().requestBody("direct:expire", dryRun, List.class);
            boolean errors = false;
            for (Expire.Outcome o : outcomes) {
                out.println("== " + o.collection() + " @ " + o.place());
                out.println(o.plan().describe());
                o.errors().forEach(e -> out.println("ERROR " + e));
                errors |= !o.errors().isEmpty();
            }
            if (outcomes.isEmpty()) {
                out.println("no backups found");
            }
            out.println(dryRun ? "dry run: nothing was deleted" : "expiry done");
            return errors ? 1 : 0;
        } finally {
            main.stop();
        }
    }

    /** The one line of a failed start: a setting's own message if one is in the chain, else the root cause. */
    static String startupMessage(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof qdrantbackup.config.Settings.SettingException || t instanceof StartupException) {
                return t.getMessage();
            }
        }
        return rootMessage(e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Start-up failed; the message is the one line an operator needs. */
    public static class StartupException extends RuntimeException {
        public StartupException(String message) {
            super(message);
        }

        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The command line: a command, its argument, and the two path options. */
    static final class Cli {
        static final String USAGE = """
            usage: java -jar qdrant-backup.jar [command] [options]
              run                     run the daemon (default): scheduled backups, restore inbox
              backup-now [collection] back up every collection (or one) now, then exit (0 = all ok)
              expire [--dry-run]      apply the retention policy now (dry run: print the plan only)
              check                   start as the daemon would (settings, routes, bucket), ask Qdrant, stop
              list [collection] [--json]  every backup: time, size, sha256, where, kept by retention
            options:
              --config FILE           settings file (default application.properties)
              --routes DIR            routes folder (default routes)""";

        String command = "run";
        String argument;
        Path config = Path.of("application.properties");
        Path routes = Path.of("routes");
        final List<String> flags = new ArrayList<>();

        static Cli parse(String[] args) {
            Cli cli = new Cli();
            List<String> words = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config" -> cli.config = Path.of(args[++i]);
                    case "--routes" -> cli.routes = Path.of(args[++i]);
                    case "-h", "--help" -> words.add(0, "help");
                    default -> {
                        if (args[i].startsWith("--")) {
                            cli.flags.add(args[i]);
                        } else {
                            words.add(args[i]);
                        }
                    }
                }
            }
            if (!words.isEmpty()) {
                cli.command = words.get(0);
            }
            if (words.size() > 1) {
                cli.argument = words.get(1);
            }
            return cli;
        }
    }
}
