package qdrantbackup.management;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import qdrantbackup.backup.Backup;
import qdrantbackup.catalogue.Catalogue;
import qdrantbackup.config.Settings;
import qdrantbackup.ha.Leadership;
import qdrantbackup.health.OffsiteReadiness;
import qdrantbackup.health.QdrantReadiness;
import qdrantbackup.health.Role;
import qdrantbackup.metrics.BackupMetrics;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.restore.Restore;
import qdrantbackup.retention.Retention;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.local.LocalStore;

/**
 * The beans of the management port: readiness checks, metrics, the catalogue, on-demand runs.
 * Runs after {@link qdrantbackup.Wiring}, whose beans it looks up by name.
 */
public class ManagementWiring implements CamelConfiguration {
    static final String METERS = "metricsRegistry";

    @Override
    public void configure(CamelContext camel) {
        Settings settings = camel.getRegistry().lookupByNameAndType("settings", Settings.class);
        QdrantClient qdrant = camel.getRegistry().lookupByNameAndType("qdrant", QdrantClient.class);
        LocalStore archive = camel.getRegistry().lookupByNameAndType("archive", LocalStore.class);
        BackupStore offsite = camel.getRegistry().lookupByNameAndType("offsite", BackupStore.class);
        Backup backup = camel.getRegistry().lookupByNameAndType("backup", Backup.class);
        Retention retention = camel.getRegistry().lookupByNameAndType("retention", Retention.class);

        // Camel's Prometheus support scrapes the registry bound under this name (and binds one when it
        // comes first): share it, so our meters show at /observe/metrics
        MeterRegistry meters = camel.getRegistry().lookupByNameAndType(METERS, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            camel.getRegistry().bind(METERS, meters);
        }
        BackupMetrics metrics =
                new BackupMetrics(meters, archive, offsite, backup).seed(Path.of(settings.string("state.dir")));
        backup.onFinish(metrics::recordRun);
        Restore restore = camel.getRegistry().lookupByNameAndType("restore", Restore.class);
        if (restore != null) {
            restore.onFinish(r -> metrics.recordRestore(
                    r.getTarget() != null ? r.getTarget() : r.getCollection() != null ? r.getCollection() : "unknown",
                    r.isOk(),
                    r.getSeconds()));
        }

        qdrantbackup.drill.Drill drill =
                camel.getRegistry().lookupByNameAndType("drill", qdrantbackup.drill.Drill.class);
        if (drill != null) {
            drill.onFinish(new qdrantbackup.metrics.DrillMetrics(meters, Path.of(settings.string("state.dir")))
                    .watching(archive, backup)::record);
        }
        camel.getRegistry().bind("metrics", metrics);
        Catalogue catalogue = new Catalogue(archive, offsite, retention.localPolicy(), retention.offsitePolicy());
        qdrantbackup.readback.ReadBack readBack =
                camel.getRegistry().lookupByNameAndType("readBack", qdrantbackup.readback.ReadBack.class);
        if (readBack != null && readBack.enabled()) {
            catalogue.showReadBack(readBack::lastLine);
            qdrantbackup.readback.ReadBackMetrics.register(meters, readBack);
        }
        if (drill != null) {
            Path state = Path.of(settings.string("state.dir"));
            catalogue.showVerified(() -> qdrantbackup.drill.DrillVerdicts.read(state));
        }
        camel.getRegistry().bind("catalogue", catalogue);
        Leadership leadership = camel.getRegistry().lookupByNameAndType("leadership", Leadership.class);
        if (leadership == null) {
            leadership = Leadership.ALONE;
        }
        Leadership leads = leadership;
        Gauge.builder("qdrant_backup_leader", () -> leads.isLeader() ? 1 : 0)
                .description("1 on the instance that runs the schedules and the inbox (always 1 without ha.cluster)")
                .register(meters);
        if (leadership.clustered()) {
            camel.getRegistry().bind("roleReadiness", new Role(leadership));
        }
        camel.getRegistry().bind("onDemand", new OnDemand(camel, backup, leadership));
        camel.getRegistry().bind("managementToken", new ManagementToken(settings.string("management.token")));
        camel.getRegistry()
                .bind(
                        "qdrantReadiness",
                        new QdrantReadiness(qdrant, settings.duration("health.qdrant-timeout"))
                                .withCluster(new qdrantbackup.cluster.ClusterNodes(
                                        qdrant, settings.string("qdrant.nodes"), settings.string("qdrant.node-url"))));
        camel.getRegistry()
                .bind("offsiteReadiness", new OffsiteReadiness(offsite, settings.duration("health.offsite-recheck")));
    }
}
