package qdrantbackup.retention;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a retention policy to one place: plans each collection with {@link RetentionPlanner} and
 * deletes what no rule keeps, logging each deletion with its reason. A dry run only reports.
 */
public final class Expire {
    private static final Logger LOG = LoggerFactory.getLogger(Expire.class);

    private Expire() {
    }

    /** What expiry decided (and did) for one collection in one place. */
    public record Outcome(String place, String collection, RetentionPlan plan, List<String> deleted,
                          List<String> errors) {
    }

    /**
     * @param collections the collections to expire, or null for every collection in the place
     * @param dryRun      plan and report only
     */
    public static List<Outcome> run(Place place, RetentionPolicy policy, Collection<String> collections,
                                    boolean dryRun) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String collection : collections == null ? place.collections() : collections) {
            outcomes.add(expireOne(place, policy, collection, dryRun));
        }
        return outcomes;
    }

    private static Outcome expireOne(Place place, RetentionPolicy policy, String collection, boolean dryRun) {
        Map<String, Place.Stored> byId = new LinkedHashMap<>();
        for (Place.Stored s : place.backups(collection)) {
            byId.put(s.snapshot(), s);
        }
        RetentionPlan plan = RetentionPlanner.plan(
            byId.values().stream().map(s -> new Backup(s.snapshot(), s.created())).toList(), policy);
        List<String> deleted = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (!dryRun) {
            for (Backup expired : plan.expired()) {
                try {
                    place.delete(byId.get(expired.id()));
                    deleted.add(expired.id());
                    LOG.info("{} {}: expired {} (created {}): no rule keeps it ({}; latest {})", place.name(),
                        collection, expired.id(), expired.created(), policy.describe(), plan.latest());
                } catch (RuntimeException e) {
                    errors.add(expired.id() + ": " + e.getMessage());
                    LOG.error("{} {}: could not delete expired {}: {}", place.name(), collection, expired.id(),
                        e.getMessage());
                }
            }
        }
        if (!plan.isEmpty()) {
            LOG.info("{} {}: {} kept, {} {}", place.name(), collection, plan.kept().size(), plan.expired().size(),
                dryRun ? "would expire (dry run)" : "expired");
        }
        return new Outcome(place.name(), collection, plan, deleted, errors);
    }
}
