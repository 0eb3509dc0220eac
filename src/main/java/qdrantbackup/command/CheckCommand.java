package qdrantbackup.command;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.store.BackupStore;

/**
 * {@code check}: starts as the daemon would (settings, routes, the bucket's write probe, the management
 * server on a free port), asks Qdrant for its version once, and stops; no route runs. 0 when the
 * daemon would start and Qdrant answers, 1 when Qdrant does not, 3 when a setting cannot work. The
 * build also runs it to record the classes a start loads (class-data sharing, see the README).
 */
public final class CheckCommand implements Command {
    private static final Usage USAGE =
            new Usage("check", "start as the daemon would (settings, routes, bucket), ask Qdrant, stop");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    public int run(CommandLine line, PrintStream out) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Launcher.oneShot());
        o.put("offsite.check-on-start", "true");
        o.put("camel.management.enabled", "true");
        o.put("camel.management.port", "0");
        Main main = Launcher.startReadOnly(line, o);
        try {
            CamelContext camel = main.getCamelContext();
            out.println("settings: ok (" + line.config() + ", "
                    + camel.getRoutes().size() + " routes from " + line.routes() + ")");
            BackupStore offsite = camel.getRegistry().lookupByNameAndType("offsite", BackupStore.class);
            out.println("offsite: " + offsite.describe());
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
}
