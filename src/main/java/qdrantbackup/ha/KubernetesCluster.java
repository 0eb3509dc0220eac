package qdrantbackup.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import qdrantbackup.config.Settings;

/**
 * ha.cluster=kubernetes: Camel's election on a coordination.k8s.io Lease. Camel counts a member as alive while its
 * pod is Running and Ready, so the member id must be the pod's name. The Lease's timing follows ha.check-interval
 * (at the default 5s these are Camel's own defaults: 15s lease, 10s renew deadline, 2s retry).
 */
final class KubernetesCluster {
    /** Camel names the Lease {@code <ha.kubernetes.lease-name>-<GROUP>}. */
    static final String GROUP = "leader";

    static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private KubernetesCluster() {}

    static KubernetesClusterService service(Settings settings, String member, Duration interval, Path podNamespace) {
        if (interval.toMillis() < 500) {
            throw Settings.invalid(
                    "ha.check-interval",
                    interval.toMillis() + "ms",
                    "give 500ms or more with ha.cluster=kubernetes (the Lease counts whole seconds), e.g. 5s");
        }
        String lease = settings.string("ha.kubernetes.lease-name");
        if (!lease.matches(DNS_LABEL) || lease.length() > 50) {
            throw Settings.invalid(
                    "ha.kubernetes.lease-name",
                    lease,
                    "use up to 50 lower-case letters, digits and '-', starting and ending with a letter or digit,"
                            + " e.g. qdrant-backup");
        }
        KubernetesClusterService service = new KubernetesClusterService();
        service.setKubernetesNamespace(namespace(settings, podNamespace));
        service.setPodName(member);
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(lease);
        long ms = interval.toMillis();
        service.setRetryPeriodMillis(ms * 2 / 5);
        service.setRenewDeadlineMillis(ms * 2);
        service.setLeaseDurationMillis(ms * 3);
        return service;
    }

    /** ha.kubernetes.namespace, else the namespace of the pod this runs in (its service account's file). */
    static String namespace(Settings settings, Path podNamespace) {
        String ns;
        if (settings.isSet("ha.kubernetes.namespace")) {
            ns = settings.string("ha.kubernetes.namespace").strip();
        } else if (Files.isReadable(podNamespace)) {
            try {
                ns = Files.readString(podNamespace, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new Settings.SettingException("setting ha.kubernetes.namespace is not set and " + podNamespace
                        + " cannot be read (" + e.getMessage() + "): set ha.kubernetes.namespace, e.g. qdrant");
            }
        } else {
            throw new Settings.SettingException("setting ha.kubernetes.namespace is not set and this is not a pod ("
                    + podNamespace + " is missing): set it to the namespace of the Lease (e.g."
                    + " ha.kubernetes.namespace=qdrant), or set ha.cluster=none");
        }
        if (!ns.matches(DNS_LABEL)) {
            throw Settings.invalid(
                    "ha.kubernetes.namespace", ns, "give a Kubernetes namespace name (lower-case, e.g. qdrant)");
        }
        return ns;
    }
}
