package qdrantbackup.command;

import java.io.PrintStream;
import java.util.List;
import org.apache.camel.main.Main;
import qdrantbackup.catalogue.Catalogue;
import qdrantbackup.catalogue.CatalogueEntry;
import qdrantbackup.catalogue.CatalogueText;
import qdrantbackup.transfer.SafeFiles;

/** {@code list [collection] [--json]}: the catalogue of backups, as a table or as JSON. */
public final class ListCommand implements Command {
    static final String JSON = "--json";
    private static final Usage USAGE = new Usage(
            "list", "collection", List.of(JSON), "every backup: time, size, sha256, where, kept by retention");

    @Override
    public Usage usage() {
        return USAGE;
    }

    @Override
    public int run(CommandLine line, PrintStream out) throws Exception {
        Main main = Launcher.startReadOnly(line, Launcher.oneShot());
        try {
            Catalogue catalogue =
                    main.getCamelContext().getRegistry().lookupByNameAndType("catalogue", Catalogue.class);
            List<CatalogueEntry> entries = catalogue.entries(line.argument());
            if (line.has(JSON)) {
                out.println(SafeFiles.JSON.writeValueAsString(entries));
            } else {
                out.print(CatalogueText.format(entries));
            }
            return 0;
        } finally {
            main.stop();
        }
    }

    /** The table and the JSON are for pipes (jq, grep). */
    @Override
    public boolean printsData() {
        return true;
    }
}
