package qdrantbackup;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;
import qdrantbackup.catalogue.Catalogue;
import qdrantbackup.catalogue.CatalogueEntry;
import qdrantbackup.catalogue.CatalogueText;
import qdrantbackup.transfer.SafeFiles;

/** {@code list [collection] [--json]}: the catalogue of backups, as a table or as JSON. */
final class ListCommand {
    private ListCommand() {}

    static int run(App.Cli cli, PrintStream out) throws Exception {
        Main main = App.start(cli.config, cli.routes, App.oneShot());
        try {
            Catalogue catalogue =
                    main.getCamelContext().getRegistry().lookupByNameAndType("catalogue", Catalogue.class);
            List<CatalogueEntry> entries = catalogue.entries(cli.argument);
            if (cli.flags.contains("--json")) {
                out.println(SafeFiles.JSON.writeValueAsString(entries));
            } else {
                out.print(CatalogueText.format(entries));
            }
            return 0;
        } finally {
            main.stop();
        }
    }

    /** The output is for pipes (jq, grep): the log lines go to standard error instead. */
    static void logToStandardError() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            return;
        }
        for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it =
                        logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
                it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<?> console) {
                console.stop();
                console.setTarget("System.err");
                console.start();
            }
        }
    }
}
