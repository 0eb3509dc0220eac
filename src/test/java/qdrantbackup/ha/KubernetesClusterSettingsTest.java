package qdrantbackup.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qdrantbackup.config.Settings;

/** ha.kubernetes.*: where the namespace comes from, the Lease's timing from ha.check-interval, the one-line errors. */
class KubernetesClusterSettingsTest {
    @TempDir
    Path dir;

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void theNamespaceComesFromThePodsServiceAccountWhenNotSet() throws Exception {
        Path file = Files.writeString(dir.resolve("namespace"), "vectors\n");
        KubernetesClusterService s =
                KubernetesCluster.service(settings(Map.of()), "pod-1", Duration.ofSeconds(5), file);
        assertThat(s.getKubernetesNamespace()).isEqualTo("vectors");
        assertThat(s.getPodName()).isEqualTo("pod-1");
        assertThat(s.getKubernetesResourceName()).isEqualTo("qdrant-backup");
        // 5s gives Camel's own defaults
        assertThat(s.getRetryPeriodMillis()).isEqualTo(2_000);
        assertThat(s.getRenewDeadlineMillis()).isEqualTo(10_000);
        assertThat(s.getLeaseDurationMillis()).isEqualTo(15_000);
    }

    @Test
    void theSettingWinsOverThePodsNamespace() throws Exception {
        Path file = Files.writeString(dir.resolve("namespace"), "vectors");
        assertThat(KubernetesCluster.namespace(settings(Map.of("ha.kubernetes.namespace", "backups")), file))
                .isEqualTo("backups");
    }

    @Test
    void outsideAPodWithoutTheSettingTheStartStopsSayingWhatToSet() {
        assertThatThrownBy(() -> KubernetesCluster.namespace(settings(Map.of()), dir.resolve("missing")))
                .isInstanceOf(Settings.SettingException.class)
                .hasMessageContaining("setting ha.kubernetes.namespace is not set and this is not a pod")
                .hasMessageContaining("e.g. ha.kubernetes.namespace=qdrant");
    }

    @Test
    void aLeaseNameKubernetesWouldRefuseIsRefusedAtStart() {
        assertThatThrownBy(() -> KubernetesCluster.service(
                        settings(Map.of("ha.kubernetes.namespace", "b", "ha.kubernetes.lease-name", "Qdrant_Backup")),
                        "pod-1",
                        Duration.ofSeconds(5),
                        dir.resolve("missing")))
                .isInstanceOf(Settings.SettingException.class)
                .hasMessageContaining("ha.kubernetes.lease-name")
                .hasMessageContaining("Qdrant_Backup");
    }

    @Test
    void aCheckIntervalUnderHalfASecondIsRefused() {
        assertThatThrownBy(() -> KubernetesCluster.service(
                        settings(Map.of("ha.kubernetes.namespace", "b", "ha.check-interval", "200ms")),
                        "pod-1",
                        Duration.ofMillis(200),
                        dir.resolve("missing")))
                .isInstanceOf(Settings.SettingException.class)
                .hasMessageContaining("ha.check-interval")
                .hasMessageContaining("500ms or more");
    }
}
