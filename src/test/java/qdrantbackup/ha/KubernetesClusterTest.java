package qdrantbackup.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import qdrantbackup.testing.Members.Instance;

/**
 * ha.cluster=kubernetes: Camel's KubernetesClusterService on a Lease, against the Kubernetes API of the mock server
 * in CRUD mode. The two instances run as pods backup-a and backup-b (Running and Ready); when a process dies the test
 * marks its pod not ready, as the kubelet does, and the Lease must name the new leader.
 */
class KubernetesClusterTest extends ElectionTest {
    private static final String NS = "backups";

    private KubernetesMockServer api;
    private KubernetesClient client;

    @BeforeEach
    void startApi() {
        api = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        api.init();
        client = api.createClient();
        for (String name : List.of("backup-a", "backup-b")) {
            client.pods().inNamespace(NS).resource(pod(name, "True")).create();
        }
    }

    @AfterEach
    void stopApi() {
        client.close();
        api.destroy();
    }

    @Override
    Map<String, String> cluster() {
        // 2s: a leader that cannot renew within 4s steps down, and a loaded test machine must not make it flap
        return Map.of(
                "ha.cluster", "kubernetes",
                "ha.kubernetes.namespace", NS,
                "ha.kubernetes.lease-name", "qb",
                "ha.check-interval", "2s");
    }

    @Override
    Map<String, String> environment() {
        return Map.of(
                "KUBERNETES_MASTER",
                api.url("/"),
                "KUBERNETES_AUTH_TRYKUBECONFIG",
                "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
                "false",
                "KUBERNETES_NAMESPACE",
                NS);
    }

    @Override
    void died(Instance instance) {
        client.pods().inNamespace(NS).resource(pod(instance.id(), "False")).updateStatus();
    }

    @Override
    void recordNames(Instance leader) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Lease lease = client.leases().inNamespace(NS).withName("qb-leader").get();
            assertThat(lease).as("the Lease qb-leader in namespace " + NS).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader.id());
        });
    }

    private static Pod pod(String name, String ready) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("app.kubernetes.io/name", "qdrant-backup")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("qdrant-backup")
                .withImage("qdrant-backup:test")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .endCondition()
                .endStatus()
                .build();
    }
}
