package qdrantbackup.command;

import java.io.PrintStream;
import java.util.List;
import org.apache.camel.main.Main;
import qdrantbackup.drill.DrillReport;

/** {@code drill [collection]}: a restore drill now, a line per collection, exit 0 only when every drill passed. */
public final class DrillCommand implements Command {
    private static final Usage USAGE = new Usage(
            "drill",
            "collection",
            List.of(),
            "restore each collection's newest backup into a scratch collection and check it (0 = all proven)");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int run(CommandLine line, PrintStream out) throws Exception {
        Main main = Launcher.start(line, Launcher.oneShot());
        try {
            List<DrillReport> reports = main.getCamelContext()
                    .createProducerTemplate()
                    .requestBodyAndHeader("direct:drill", null, "collection", line.argument(), List.class);
            boolean ok = !reports.isEmpty();
            for (DrillReport r : reports) {
                out.printf(
                        "%-30s %-6s %s%n",
                        r.collection,
                        r.ok ? "PROVEN" : "FAILED",
                        r.ok ? r.snapshot + " restored and checked in " + r.durationSeconds + "s" : r.reason);
                ok &= r.ok;
            }
            if (reports.isEmpty()) {
                out.println("no backups to drill");
            }
            out.println(ok ? "drill passed" : "drill FAILED");
            return ok ? 0 : 1;
        } finally {
            main.stop();
        }
    }
}
