package qdrantbackup.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;

/**
 * Applies a retention policy to one place: plans each collection with {@link RetentionPlanner} and
 * deletes what no rule keeps, logging each deletion with its reason. A dry run only reports.
 */
public final class Expire {
    private static final Logger LOG = LoggerFactory.getLogger(Expire.class);
    /** Backups deleted per call: one DeleteObjects request holds up to 1,000 keys. */
    private static final int CHUNK = 500;

    private Expire() {}

    /** What expiry decided (and did) for one collection in one place. */
    public record Outcome(
            String place, String collection, RetentionPlan plan, List<String> deleted, List<String> errors) {}

    /**
     * @param collections the collections to expire, or null for every collection in the place
     * @param dryRun      plan and report only
     */
    public static List<Outcome> run(
            BackupStore place, RetentionPolicy policy, Collection<String> collections, boolean dryRun) {
        return run(place, policy, collections, dryRun, null);
    }

    /**
     * @param future a newest backup after this instant (this machine's clock plus the tolerance) means a clock
     *               was wrong: periods counted from it would expire good backups, so nothing is expired
     */
    public static List<Outcome> run(
            BackupStore place, RetentionPolicy policy, Collection<String> collections, boolean dryRun, Instant future) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String collection : collections == null ? place.collections() : collections) {
            try {
                outcomes.add(expireOne(place, policy, collection, dryRun, future));
            } catch (RuntimeException e) {
                // one collection's trouble (an unreadable folder, a listing refused) never stops the others
                LOG.error(
                        "{} {}: expiry failed, nothing of it was deleted; the other collections go on: {}",
                        place.describe(),
                        collection,
                        e.getMessage());
                outcomes.add(new Outcome(place.describe(), collection, null, List.of(), List.of(e.getMessage())));
            }
        }
        return outcomes;
    }

    /** The ids of {@code backups} that {@code policy} keeps: what a place holds once expiry ran. */
    public static java.util.Set<String> kept(List<Manifest> backups, RetentionPolicy policy) {
        Map<String, Manifest> byId = new LinkedHashMap<>();
        backups.forEach(m -> byId.putIfAbsent(m.snapshot(), m));
        java.util.Set<String> ids = new java.util.HashSet<>();
        RetentionPlanner.plan(
                        byId.values().stream()
                                .map(s -> new Candidate(s.snapshot(), s.createdAt()))
                                .toList(),
                        policy)
                .kept()
                .forEach(k -> ids.add(k.backup().id()));
        return ids;
    }

    private static Outcome expireOne(
            BackupStore place, RetentionPolicy policy, String collection, boolean dryRun, Instant future) {
        Map<String, Manifest> byId = new LinkedHashMap<>();
        for (Manifest m : place.list(collection)) {
            byId.put(m.snapshot(), m);
        }
        RetentionPlan plan = RetentionPlanner.plan(
                byId.values().stream()
                        .map(s -> new Candidate(s.snapshot(), s.createdAt()))
                        .toList(),
                policy);
        List<String> deleted = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (future != null && plan.latest() != null && plan.latest().isAfter(future)) {
            LOG.error(
                    "{} {}: expiring nothing: the newest backup is dated {}, in the future by this machine's clock"
                            + " (beyond backup.clock-tolerance); a clock was wrong when it was made, and periods"
                            + " counted from it would expire every correctly dated backup; remove or re-date it",
                    place.describe(),
                    collection,
                    plan.latest());
            return new Outcome(place.describe(), collection, plan, deleted, errors);
        }
        if (!dryRun) {
            List<Candidate> expired = plan.expired();
            for (int from = 0; from < expired.size(); from += CHUNK) {
                List<Candidate> chunk = expired.subList(from, Math.min(expired.size(), from + CHUNK));
                try {
                    place.delete(chunk.stream().map(b -> byId.get(b.id())).toList());
                    for (Candidate b : chunk) {
                        deleted.add(b.id());
                        LOG.info(
                                "{} {}: expired {} (created {}): no rule keeps it ({}; latest {})",
                                place.describe(),
                                collection,
                                b.id(),
                                b.created(),
                                policy.describe(),
                                plan.latest());
                    }
                } catch (RuntimeException e) {
                    chunk.forEach(b -> errors.add(b.id()));
                    LOG.error(
                            "{} {}: could not delete {} expired backup(s) ({} .. {}): {}",
                            place.describe(),
                            collection,
                            chunk.size(),
                            chunk.get(0).id(),
                            chunk.get(chunk.size() - 1).id(),
                            e.getMessage());
                }
            }
        }
        if (!plan.isEmpty()) {
            LOG.info(
                    "{} {}: {} kept, {} {}",
                    place.describe(),
                    collection,
                    plan.kept().size(),
                    plan.expired().size(),
                    dryRun ? "would expire (dry run)" : "expired");
        }
        return new Outcome(place.describe(), collection, plan, deleted, errors);
    }
}
