package qdrantbackup.metrics;

/** What a restore reports to the metrics; the restore side calls it once per restored collection. */
@FunctionalInterface
public interface RestoreMetrics {
    void recordRestore(String collection, boolean ok, double seconds);

    RestoreMetrics NONE = (collection, ok, seconds) -> {};
}
