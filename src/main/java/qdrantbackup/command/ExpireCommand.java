package qdrantbackup.command;

import java.io.PrintStream;
import java.util.List;
import org.apache.camel.main.Main;
import qdrantbackup.retention.Expire;

/** {@code expire [--dry-run]}: applies retention everywhere now; the dry run deletes nothing. */
public final class ExpireCommand implements Command {
    static final String DRY_RUN = "--dry-run";
    private static final Usage USAGE = new Usage(
            "expire", null, List.of(DRY_RUN), "apply the retention policy now (dry run: print the plan only)");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int run(CommandLine line, PrintStream out) throws Exception {
        boolean dryRun = line.has(DRY_RUN);
        Main main =
                dryRun ? Launcher.startReadOnly(line, Launcher.oneShot()) : Launcher.start(line, Launcher.oneShot());
        try {
            List<Expire.Outcome> outcomes =
                    main.getCamelContext().createProducerTemplate().requestBody("direct:expire", dryRun, List.class);
            boolean errors = false;
            for (Expire.Outcome o : outcomes) {
                out.println("== " + o.collection() + " @ " + o.place());
                if (o.plan() != null) {
                    out.println(o.plan().describe());
                }
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
}
