package qdrantbackup.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.main.Main;
import qdrantbackup.Wiring;
import qdrantbackup.config.Settings;
import qdrantbackup.lifecycle.ArchiveLock;
import qdrantbackup.management.ManagementAddress;
import qdrantbackup.management.ManagementWiring;
import qdrantbackup.reload.RouteReload;

/** Sets up and starts Camel Main as the daemon runs: settings file, YAML routes, beans. */
public final class Launcher {
    private Launcher() {}

    /** A Camel Main set up as the daemon runs; {@code overrides} win over the settings file. */
    public static Main create(Path config, Path routes, Map<String, String> overrides) {
        return create(config, routes, overrides, false);
    }

    /** @param readOnly for the commands that only read the archive: no lock, no clean-up (list, check, dry runs) */
    public static Main create(Path config, Path routes, Map<String, String> overrides, boolean readOnly) {
        if (!Files.isReadable(config)) {
            throw new StartupException("settings file " + config.toAbsolutePath() + " is not readable: create it"
                    + " (see the README) or point --config at it");
        }
        if (!Files.isDirectory(routes)) {
            throw new StartupException("routes folder " + routes.toAbsolutePath() + " does not exist: point --routes"
                    + " at the folder holding the *.camel.yaml files");
        }
        // no class given: new Main(SomeClass.class) would scan that class's package, test classes included
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + config.toAbsolutePath());
        main.configure().withName("qdrant-backup");
        main.configure().withRoutesIncludePattern("file:" + routes.toAbsolutePath() + "/*.camel.yaml");
        main.configure().addConfiguration(new Wiring(readOnly));
        main.configure().addConfiguration(new ManagementWiring());
        // an edit of a route file takes effect without a restart (routes.reload)
        main.configure().addConfiguration(new RouteReload(routes));
        // health, metrics and the routes' HTTP server on one host and port, from the file or the environment
        ManagementAddress.overrides(config, overrides, System.getenv()).forEach(main::addOverrideProperty);
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** Starts Camel (non-blocking), for the commands and the tests; a failure is a {@link StartupException}. */
    public static Main start(Path config, Path routes, Map<String, String> overrides) throws Exception {
        return start(config, routes, overrides, false);
    }

    /** As {@link #start(Path, Path, Map)}; {@code readOnly}: see {@link #create(Path, Path, Map, boolean)}. */
    public static Main start(Path config, Path routes, Map<String, String> overrides, boolean readOnly)
            throws Exception {
        Main main = create(config, routes, overrides, readOnly);
        try {
            main.start();
        } catch (Exception e) {
            try {
                main.stop();
            } catch (RuntimeException ignored) {
                // the start-up error is what matters
            }
            releaseLock(main);
            if (inUse(e) != null) {
                throw new StartupException(inUse(e).getMessage(), inUse(e));
            }
            throw new StartupException(startupMessage(e), e);
        }
        return main;
    }

    /** Starts Camel with the settings of the command line's files. */
    static Main start(CommandLine line, Map<String, String> overrides) throws Exception {
        return start(line.config(), line.routes(), overrides);
    }

    /** The same for a command that only reads the archive (no lock, no clean-up). */
    static Main startReadOnly(CommandLine line, Map<String, String> overrides) throws Exception {
        return start(line.config(), line.routes(), overrides, true);
    }

    /** The archive's lock when another process holds it, somewhere in the chain; else null. */
    public static ArchiveLock.InUseException inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArchiveLock.InUseException in) {
                return in;
            }
        }
        return null;
    }

    /** A start that failed after taking the lock lets it go (a later start in this JVM must get it). */
    private static void releaseLock(Main main) {
        try {
            if (main.getCamelContext() != null) {
                ArchiveLock lock =
                        main.getCamelContext().getRegistry().lookupByNameAndType("archiveLock", ArchiveLock.class);
                if (lock != null) {
                    lock.stop();
                }
            }
        } catch (RuntimeException ignored) {
            // nothing was locked
        }
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
        o.put("verify.schedule.enabled", "false");
        o.put("drill.schedule.enabled", "false");
        o.put("camel.management.enabled", "false");
        o.put("routes.reload", "false");
        return o;
    }

    /** The one line of a failed start: a setting's own message if one is in the chain, else the root cause. */
    public static String startupMessage(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof Settings.SettingException || t instanceof StartupException) {
                return t.getMessage();
            }
        }
        return rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
