package qdrantbackup.catalogue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.retention.Candidate;
import qdrantbackup.retention.Kept;
import qdrantbackup.retention.RetentionPlan;
import qdrantbackup.retention.RetentionPlanner;
import qdrantbackup.retention.RetentionPolicy;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;

/**
 * Every backup in the local archive and offsite, merged by collection and snapshot name, with where
 * it is and what each place's retention policy decides about it. Used by {@code list} and
 * {@code GET /backups}.
 */
public final class Catalogue {
    private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);
    static final String LOCAL = "local";
    static final String OFFSITE = "offsite";

    private final BackupStore archive;
    private final BackupStore offsite;
    private final RetentionPolicy localPolicy;
    private final RetentionPolicy offsitePolicy;

    public Catalogue(
            BackupStore archive, BackupStore offsite, RetentionPolicy localPolicy, RetentionPolicy offsitePolicy) {
        this.archive = archive;
        this.offsite = offsite;
        this.localPolicy = localPolicy;
        this.offsitePolicy = offsitePolicy;
    }

    private java.util.function.Function<Manifest, String> readBack = m -> null;

    /** Shows for each bucket backup when it was last read back (see {@link CatalogueEntry#readBack()}). */
    public Catalogue showReadBack(java.util.function.Function<Manifest, String> lastReadBack) {
        this.readBack = lastReadBack;
        return this;
    }

    private java.util.function.Supplier<Map<String, String>> drills = () -> null;

    /**
     * Shows for each backup whether and when a drill proved it restorable: {@code verdicts} gives, read once per
     * listing, {@code collection/snapshot} to the last drill's line; a backup without one shows {@code never}.
     */
    public Catalogue showVerified(java.util.function.Supplier<Map<String, String>> verdicts) {
        this.drills = verdicts;
        return this;
    }

    /** Backups of one collection (or all when null or blank): collections by name, newest first within. */
    public List<CatalogueEntry> entries(String collection) {
        boolean all = collection == null || collection.isBlank();
        List<Manifest> local = all ? archive.listAll() : archive.list(collection);
        List<Manifest> remote = offsiteManifests(all ? null : collection);

        Set<String> collections = new TreeSet<>();
        local.forEach(b -> collections.add(b.collection()));
        remote.forEach(m -> collections.add(m.collection()));

        Map<String, String> verdicts = drills.get();
        List<CatalogueEntry> entries = new ArrayList<>();
        for (String c : collections) {
            Map<String, Manifest> here = new LinkedHashMap<>();
            local.stream().filter(b -> b.collection().equals(c)).forEach(b -> here.put(b.snapshot(), b));
            Map<String, Manifest> there = new LinkedHashMap<>();
            remote.stream().filter(m -> m.collection().equals(c)).forEach(m -> there.put(m.snapshot(), m));
            // a local backup the listing lacks may still be offsite: ask (the listing may be unimplemented)
            if (offsite.enabled()) {
                local.stream()
                        .filter(b -> b.collection().equals(c) && !there.containsKey(b.snapshot()))
                        .filter(this::offsiteHas)
                        .forEach(b -> there.put(b.snapshot(), b));
            }
            entries.addAll(merge(here, there, verdicts));
        }
        return entries;
    }

    private List<CatalogueEntry> merge(
            Map<String, Manifest> local, Map<String, Manifest> offsite, Map<String, String> verdicts) {
        Map<String, List<String>> keptLocal = keptBy(local, localPolicy);
        Map<String, List<String>> keptOffsite = keptBy(offsite, offsitePolicy);
        Map<String, Manifest> every = new LinkedHashMap<>(offsite);
        every.putAll(local); // the local manifest wins: it is the one verified against the file
        List<CatalogueEntry> out = new ArrayList<>();
        for (Manifest m : every.values()) {
            boolean isLocal = local.containsKey(m.snapshot());
            boolean isOffsite = offsite.containsKey(m.snapshot());
            Map<String, String> retention = new LinkedHashMap<>();
            boolean kept = false;
            if (isLocal) {
                List<String> rules = keptLocal.get(m.snapshot());
                retention.put(LOCAL, rules == null ? CatalogueEntry.EXPIRE : String.join(", ", rules));
                kept = rules != null;
            }
            if (isOffsite) {
                List<String> rules = keptOffsite.get(m.snapshot());
                retention.put(OFFSITE, rules == null ? CatalogueEntry.EXPIRE : String.join(", ", rules));
                kept |= rules != null;
            }
            String where = isLocal && isOffsite ? "both" : isLocal ? LOCAL : OFFSITE;
            out.add(new CatalogueEntry(
                    m.collection(),
                    m.snapshot(),
                    m.created(),
                    m.totalSize(),
                    m.sha256(),
                    where,
                    kept,
                    retention,
                    CatalogueEntry.Set.of(m.cluster()),
                    isOffsite ? readBack.apply(m) : null,
                    verdicts == null
                            ? null
                            : verdicts.getOrDefault(
                                    qdrantbackup.drill.DrillVerdicts.key(m.collection(), m.snapshot()), "never")));
        }
        out.sort(Comparator.comparing((CatalogueEntry e) -> Instant.parse(e.created()))
                .reversed()
                .thenComparing(CatalogueEntry::snapshot));
        return out;
    }

    /** Snapshot name to the rules that keep it, under one place's policy. */
    private static Map<String, List<String>> keptBy(Map<String, Manifest> backups, RetentionPolicy policy) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        if (backups.isEmpty()) {
            return kept;
        }
        List<Candidate> planned = backups.values().stream()
                .map(m -> new Candidate(m.snapshot(), m.createdAt()))
                .toList();
        RetentionPlan plan = RetentionPlanner.plan(planned, policy);
        for (Kept k : plan.kept()) {
            kept.put(k.backup().id(), k.rules());
        }
        return kept;
    }

    private List<Manifest> offsiteManifests(String collection) {
        if (!offsite.enabled()) {
            return List.of();
        }
        try {
            return collection == null ? offsite.listAll() : offsite.list(collection);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not list the backups at {}, showing local ones only: {}",
                    offsite.describe(),
                    e.getMessage());
            return List.of();
        }
    }

    private boolean offsiteHas(Manifest backup) {
        try {
            return offsite.has(backup);
        } catch (RuntimeException e) {
            LOG.warn("could not check {} at {}: {}", backup.snapshot(), offsite.describe(), e.getMessage());
            return false;
        }
    }
}
