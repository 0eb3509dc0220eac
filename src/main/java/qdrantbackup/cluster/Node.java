package qdrantbackup.cluster;

import qdrantbackup.qdrant.QdrantClient;

/** A node of the cluster: its u64 peer id (as text), its REST address, a client addressed to it. */
public record Node(String peerId, String url, QdrantClient client) {
    /** How messages name it: its address and peer id. */
    public String label() {
        return url + " (peer " + peerId + ")";
    }
}
