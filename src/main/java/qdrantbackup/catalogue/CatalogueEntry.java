package qdrantbackup.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One backup as the catalogue shows it.
 *
 * @param created   when Qdrant made the snapshot (ISO-8601, UTC)
 * @param where     {@code local}, {@code offsite} or {@code both}
 * @param kept      whether the retention policy keeps it in at least one place it is in
 * @param retention per place it is in: the rules that keep it (e.g. {@code keep-last, daily 2026-11-25})
 *                  or {@code expire}
 * @param set       for a cluster set: its nodes and shards; else null
 * @param readBack  for a backup in the bucket: when its bytes were last read back and checked, and the result
 *                  ({@code 2026-12-02T05:00:12Z ok}), {@code never}; null when not offsite
 * @param verified  when a restore drill last restored and checked it, and the result ({@code
 *                  2026-12-02T05:00:12Z ok}, {@code 2026-12-02T05:00:12Z FAILED}), {@code never}; null when
 *                  drills are not shown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogueEntry(
        String collection,
        String snapshot,
        String created,
        long size,
        String sha256,
        String where,
        boolean kept,
        Map<String, String> retention,
        Set set,
        String readBack,
        String verified) {
    public static final String EXPIRE = "expire";

    /** A cluster set's nodes (peer id to URL) and which peer each shard's file came from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Set(Map<String, String> nodes, Map<Integer, String> shards) {
        static Set of(qdrantbackup.store.ClusterSet c) {
            if (c == null) {
                return null;
            }
            Map<String, String> nodes = new java.util.LinkedHashMap<>();
            c.nodes().forEach(n -> nodes.put(n.peerId(), n.url()));
            Map<Integer, String> shards = new java.util.TreeMap<>();
            c.files().forEach(f -> shards.put(f.shardId(), f.peerId()));
            return new Set(nodes, shards);
        }

        /** {@code set: 6 shards from 3 nodes}. */
        String line() {
            return "set: " + shards.size() + " shard(s) from " + nodes.size() + " node(s)";
        }
    }

    public CatalogueEntry(
            String collection,
            String snapshot,
            String created,
            long size,
            String sha256,
            String where,
            boolean kept,
            Map<String, String> retention) {
        this(collection, snapshot, created, size, sha256, where, kept, retention, null, null, null);
    }
}
