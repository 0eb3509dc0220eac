package qdrantbackup.retention;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which backups of one collection in one place to keep and which to expire.
 * Pure computation: no I/O, no clock.
 *
 * <p><b>Input contract:</b> pass only successful, verified backups of one collection in one place
 * (the local archive or one offsite target). Failed or partial backups must be filtered out by the
 * caller; they never count for any rule. The list may be unsorted and may hold several backups per
 * day: within each day, week and month only the newest backup counts.
 *
 * <p><b>Reference point:</b> {@code latest} is the creation time of the newest backup, never the
 * wall clock, so a daemon whose backups have failed for weeks does not expire its last good ones,
 * and planning the same set again gives the same plan whenever it runs.
 *
 * <p><b>Windows:</b> a bucket (day, ISO week, month) qualifies when its newest backup is strictly
 * newer than a cut-off computed from {@code latest} in the policy zone:
 * <ul>
 *   <li>daily D: {@code latest.atZone(zone).minusDays(D)}</li>
 *   <li>weekly W: {@code latest.atZone(zone).minusWeeks(W)} (W×7 days)</li>
 *   <li>monthly M: {@code latest.atZone(zone).minusMonths(M)}</li>
 * </ul>
 * Choices, written down:
 * <ul>
 *   <li>Days and weeks are subtracted as calendar days in the zone (same local time of day), not
 *       as multiples of 24 hours. In UTC (the default) the two are identical. In a zone with DST
 *       this keeps "daily 7" at exactly 7 daily backups across a clock change; with 24-hour
 *       arithmetic a backup at the same local time 7 days back would slip inside the window after
 *       a spring-forward and an 8th day would be kept.</li>
 *   <li>Month ends: {@link ZonedDateTime#minusMonths} clamps the day of month to the target
 *       month's last day: 31 Mar minus 1 month is 28 Feb (29 in a leap year), 31 Dec minus 6
 *       months is 30 Jun. So with latest on 31 Mar 02:00 and monthly 1, a backup on 28 Feb 02:00
 *       sits exactly on the cut-off and February is not kept ("strictly newer").</li>
 *   <li>DST at the cut-off: the local date-time is resolved in the zone by java.time's rules: if it
 *       falls into a spring-forward gap it is moved later by the length of the gap; if it falls
 *       into an autumn overlap the offset of {@code latest} is kept when valid, else the earlier
 *       offset is used. Either way the cut-off is a single well-defined instant.</li>
 *   <li>Because the test is on the bucket's newest backup, the oldest bucket of a window can be
 *       the partial one: with irregular backup times, e.g. latest on 15 Dec and monthly 6, June is
 *       kept if its newest backup is after 15 Jun. This is what the reference specifies.</li>
 * </ul>
 */
public final class RetentionPlanner {

    public static final String KEEP_LAST = "keep-last";

    private RetentionPlanner() {}

    /**
     * Plans retention for {@code backups} under {@code policy}.
     *
     * @param backups successful, verified backups, in any order (see class comment)
     * @param policy  a valid policy; it is validated again here with the {@code retention} prefix
     * @return the plan; kept and expired lists are newest first; empty input gives an empty plan
     * @throws IllegalArgumentException if the policy is invalid or two backups share an id
     */
    public static RetentionPlan plan(List<Candidate> backups, RetentionPolicy policy) {
        Objects.requireNonNull(backups, "backups");
        Objects.requireNonNull(policy, "policy").validate();
        if (backups.isEmpty()) {
            return new RetentionPlan(List.of(), List.of(), null, policy);
        }

        List<Candidate> sorted = new ArrayList<>(backups);
        sorted.sort(Candidate.NEWEST_FIRST);
        Set<String> ids = new HashSet<>();
        for (Candidate b : sorted) {
            if (!ids.add(b.id())) {
                throw new IllegalArgumentException("duplicate backup id: " + b.id());
            }
        }

        Instant latest = sorted.get(0).created();
        ZonedDateTime latestZoned = latest.atZone(policy.zone());

        // rules per backup, in insertion order keep-last, daily, weekly, monthly
        Map<Candidate, List<String>> rules = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(policy.keepLast(), sorted.size()); i++) {
            rules.computeIfAbsent(sorted.get(i), b -> new ArrayList<>()).add(KEEP_LAST);
        }
        if (policy.daily() > 0) {
            keepNewestPerBucket(
                    sorted,
                    policy,
                    latestZoned.minusDays(policy.daily()).toInstant(),
                    rules,
                    z -> "daily " + z.toLocalDate());
        }
        if (policy.weekly() > 0) {
            keepNewestPerBucket(
                    sorted,
                    policy,
                    latestZoned.minusWeeks(policy.weekly()).toInstant(),
                    rules,
                    z -> String.format(
                            "weekly %d-W%02d",
                            z.get(IsoFields.WEEK_BASED_YEAR), z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        }
        if (policy.monthly() > 0) {
            keepNewestPerBucket(
                    sorted,
                    policy,
                    latestZoned.minusMonths(policy.monthly()).toInstant(),
                    rules,
                    z -> String.format("monthly %d-%02d", z.getYear(), z.getMonthValue()));
        }

        List<Kept> kept = new ArrayList<>();
        List<Candidate> expired = new ArrayList<>();
        for (Candidate b : sorted) {
            List<String> r = rules.get(b);
            if (r == null) {
                expired.add(b);
            } else {
                kept.add(new Kept(b, r));
            }
        }
        return new RetentionPlan(kept, expired, latest, policy);
    }

    /**
     * Walks newest first; the first backup seen in a bucket is that bucket's newest. A bucket
     * qualifies when its newest backup is strictly after {@code cutoff}. Since the walk is newest
     * first, once a bucket's newest is at or before the cut-off, all later buckets are too.
     */
    private static void keepNewestPerBucket(
            List<Candidate> newestFirst,
            RetentionPolicy policy,
            Instant cutoff,
            Map<Candidate, List<String>> rules,
            Function<ZonedDateTime, String> bucketLabel) {
        Set<String> seen = new HashSet<>();
        for (Candidate b : newestFirst) {
            if (!b.created().isAfter(cutoff)) {
                return;
            }
            String label = bucketLabel.apply(b.created().atZone(policy.zone()));
            if (seen.add(label)) {
                rules.computeIfAbsent(b, x -> new ArrayList<>()).add(label);
            }
        }
    }
}
