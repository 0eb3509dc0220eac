package qdrantbackup.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import qdrantbackup.qdrant.QdrantClient;
import qdrantbackup.qdrant.QdrantException;

/**
 * Finds the nodes to back up. {@code GET /cluster} on {@code qdrant.url} lists the peers by their p2p URI
 * (port 6335), so each is mapped to a REST address by {@code qdrant.node-url}: by default the peer's host with
 * qdrant.url's scheme and port. Or {@code qdrant.nodes} lists the nodes' REST addresses (Kubernetes: the pods
 * behind a headless service), each asked for its own peer id. A single node, or the cluster disabled, gives
 * no nodes: the backup then works as it always did.
 */
public final class ClusterNodes {
    private final QdrantClient root;
    private final List<String> explicit;
    private final String template;

    public ClusterNodes(QdrantClient root, String nodes, String template) {
        this.root = root;
        this.explicit = nodes == null || nodes.isBlank()
                ? List.of()
                : List.of(nodes.strip().split("\\s*,\\s*"));
        this.template = template == null || template.isBlank() ? "{scheme}://{host}:{port}" : template;
    }

    /** The cluster's nodes, or an empty list when Qdrant runs as one node (cluster disabled or one peer). */
    public List<Node> discover() {
        if (!explicit.isEmpty()) {
            List<Node> out = new ArrayList<>();
            for (String url : explicit) {
                QdrantClient client = root.forNode(url);
                String peer;
                try {
                    JsonNode status = client.get("read the cluster status", "/cluster");
                    peer = status.path("peer_id").asText(null);
                } catch (QdrantException e) {
                    peer = null; // named when its collections are read: that collection fails
                }
                out.add(new Node(peer, client.url(), client));
            }
            return out.size() > 1 ? out : List.of();
        }
        JsonNode status;
        try {
            status = root.get("read the cluster status", "/cluster");
        } catch (QdrantException e) {
            if (e.status() == 404) {
                return List.of(); // a Qdrant without the cluster API
            }
            throw e;
        }
        if (!"enabled".equals(status.path("status").asText())
                || status.path("peers").size() < 2) {
            return List.of();
        }
        List<Node> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> peer : status.path("peers").properties()) {
            String url = restUrl(peer.getValue().path("uri").asText(), root.rawUrl());
            out.add(new Node(peer.getKey(), root.forNode(url).url(), root.forNode(url)));
        }
        return out;
    }

    /** A peer's REST address from its p2p URI: {host} from the peer, {scheme} and {port} from qdrant.url. */
    String restUrl(String p2pUri, String qdrantUrl) {
        URI peer = URI.create(p2pUri);
        URI base = URI.create(qdrantUrl);
        int port = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        String userInfo = base.getRawUserInfo() == null ? "" : base.getRawUserInfo() + "@";
        return template.replace("{scheme}", base.getScheme())
                .replace("{host}", userInfo + peer.getHost())
                .replace("{port}", String.valueOf(port));
    }
}
