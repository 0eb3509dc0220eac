package qdrantbackup.command;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import qdrantbackup.readback.ReadBack;

/**
 * {@code verify [collection] [--all]}: reads back the bucket's due share of backups now (every one with
 * {@code --all}), a line per backup; exit 0 only when every one read matches its manifest.
 */
public final class VerifyCommand implements Command {
    static final String ALL = "--all";
    private static final Usage USAGE = new Usage(
            "verify",
            "collection",
            List.of(ALL),
            "read back the bucket's due backups, check each SHA-256 (0 = all ok)");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int run(CommandLine line, PrintStream out) throws Exception {
        Main main = Launcher.start(line, Launcher.oneShot());
        try {
            ReadBack readBack = main.getCamelContext().getRegistry().lookupByNameAndType("readBack", ReadBack.class);
            if (readBack == null || !readBack.enabled()) {
                out.println("verify: no bucket to read back: set offsite.bucket");
                return 2;
            }
            Map<String, Object> headers = new HashMap<>();
            headers.put("collection", line.argument());
            headers.put("all", line.has(ALL));
            List<ReadBack.Result> results = main.getCamelContext()
                    .createProducerTemplate()
                    .requestBodyAndHeaders("direct:verify", null, headers, List.class);
            results.forEach(r -> out.println(r.line()));
            long bad = results.stream().filter(r -> !r.ok()).count();
            out.println(results.size() + " backups read back, " + bad + " not ok"
                    + (bad == 0 ? "" : ": see the lines above (DAMAGED/MISSING: the bucket copy cannot be restored)"));
            return bad == 0 ? 0 : 1;
        } finally {
            main.stop();
        }
    }
}
