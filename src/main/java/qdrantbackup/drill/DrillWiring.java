package qdrantbackup.drill;

import java.nio.file.Path;
import java.time.Clock;
import qdrantbackup.cluster.ClusterNodes;
import qdrantbackup.config.Settings;
import qdrantbackup.config.StartupChecks;
import qdrantbackup.notify.Event;
import qdrantbackup.notify.Notifier;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantSettings;
import qdrantbackup.restore.GreenWait;
import qdrantbackup.restore.SetInto;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.local.LocalStore;

/** The restore drill from the settings, on its own client of {@code drill.qdrant.url}; a failed drill goes to the webhook. */
public final class DrillWiring {
    private DrillWiring() {}

    public static Drill create(
            Settings s, QdrantSettings q, LocalStore archive, BackupStore offsite, Path state, Notifier notifier) {
        String minRecall = s.string("drill.min-recall");
        double recall;
        try {
            recall = Double.parseDouble(minRecall);
        } catch (NumberFormatException e) {
            recall = -1;
        }
        if (!(recall >= 0 && recall <= 1)) {
            throw Settings.invalid("drill.min-recall", minRecall, "give a number from 0 to 1, e.g. 0.95");
        }
        QdrantClient client = new QdrantClient(q.withUrl(StartupChecks.httpUrl(s, "drill.qdrant.url")));
        Drill drill = new Drill(
                client,
                archive,
                offsite,
                new GreenWait(client, s.duration("restore.health-timeout"), s.duration("restore.health-poll")),
                recall,
                state,
                Clock.systemUTC());
        // a set is drilled on the drill's Qdrant: its own nodes, found from drill.qdrant.url (qdrant.nodes lists
        // production's)
        drill.drillSetsWith(new SetInto(
                client,
                new ClusterNodes(client, null, s.string("qdrant.node-url")),
                s.duration("restore.health-timeout"),
                s.duration("restore.health-poll")));
        drill.onFinish(DrillReportPruning.afterEachDrill(state, s.duration("drill.keep-reports"), Clock.systemUTC()));
        drill.onFinish(r -> {
            if (!r.ok) {
                notifier.notify(Event.drill(r.collection, r.reason));
            }
        });
        return drill;
    }
}
