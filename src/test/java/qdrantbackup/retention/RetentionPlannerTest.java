package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expectations are derived by hand from docs/retention-policy (the reference), not from the code:
 * each test states the cut-off and the buckets that follow from it.
 */
class RetentionPlannerTest {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** A backup at 02:00 UTC on the given day, id = the date. */
    static Candidate daily(LocalDate day) {
        return new Candidate(day.toString(), day.atTime(2, 0).toInstant(ZoneOffset.UTC));
    }

    static Candidate daily(String day) {
        return daily(LocalDate.parse(day));
    }

    /** One backup at 02:00 UTC every day from {@code first} to {@code last}, inclusive, oldest first. */
    static List<Candidate> everyDay(String first, String last) {
        List<Candidate> out = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
            out.add(daily(d));
        }
        return out;
    }

    static Candidate local(ZoneId zone, String localDateTime) {
        ZonedDateTime z = ZonedDateTime.of(LocalDateTime.parse(localDateTime), zone);
        return new Candidate(z.toOffsetDateTime().toString(), z.toInstant());
    }

    static List<String> ids(List<Candidate> backups) {
        return backups.stream().map(Candidate::id).toList();
    }

    static List<String> newestFirst(List<String> oldestFirst) {
        List<String> out = new ArrayList<>(oldestFirst);
        Collections.reverse(out);
        return out;
    }

    static List<String> keptIds(RetentionPlan plan) {
        return ids(plan.keptBackups());
    }

    static Map<String, List<String>> rulesById(RetentionPlan plan) {
        Map<String, List<String>> m = new HashMap<>();
        plan.kept().forEach(k -> m.put(k.backup().id(), k.rules()));
        return m;
    }

    static RetentionPolicy policy(int keepLast, int daily, int weekly, int monthly, ZoneId zone) {
        return new RetentionPolicy(keepLast, daily, weekly, monthly, zone).validate();
    }

    /** Invariants that hold for every plan, whatever the policy. */
    static void assertWellFormed(List<Candidate> input, RetentionPlan plan) {
        assertThat(plan.kept().size() + plan.expired().size()).isEqualTo(input.size());
        Set<Candidate> all = new HashSet<>(plan.keptBackups());
        all.addAll(plan.expired());
        assertThat(all).containsExactlyInAnyOrderElementsOf(input);
        assertThat(plan.keptBackups()).isSortedAccordingTo(Candidate.NEWEST_FIRST);
        assertThat(plan.expired()).isSortedAccordingTo(Candidate.NEWEST_FIRST);
        if (!input.isEmpty()) {
            Instant newest = input.stream()
                    .map(Candidate::created)
                    .max(Instant::compareTo)
                    .orElseThrow();
            assertThat(plan.latest()).isEqualTo(newest);
            assertThat(plan.kept().get(0).backup().created()).isEqualTo(newest);
            assertThat(plan.kept().get(0).rules()).contains("keep-last");
        }
        // each daily/weekly/monthly bucket label keeps at most one backup
        Set<String> labels = new HashSet<>();
        plan.kept().stream()
                .flatMap(k -> k.rules().stream())
                .filter(r -> !r.equals("keep-last"))
                .forEach(r ->
                        assertThat(labels.add(r)).as("bucket %s kept twice", r).isTrue());
        // planning only the kept backups again keeps all of them: applying a plan is stable
        RetentionPlan again = RetentionPlanner.plan(plan.keptBackups(), plan.policy());
        assertThat(again.expired()).isEmpty();
        assertThat(again.kept()).isEqualTo(plan.kept());
    }

    @Nested
    class WorkedExample {
        final List<Candidate> year2025 = everyDay("2025-01-01", "2025-12-31");
        final RetentionPlan plan = RetentionPlanner.plan(year2025, RetentionPolicy.defaults());

        @Test
        void keepsExactlyTheFifteenListedInTheReference() {
            assertThat(year2025).hasSize(365);
            assertThat(keptIds(plan))
                    .containsExactly(
                            "2025-12-31",
                            "2025-12-30",
                            "2025-12-29",
                            "2025-12-28",
                            "2025-12-27",
                            "2025-12-26",
                            "2025-12-25",
                            "2025-12-21",
                            "2025-12-14",
                            "2025-12-07",
                            "2025-11-30",
                            "2025-10-31",
                            "2025-09-30",
                            "2025-08-31",
                            "2025-07-31");
            assertThat(plan.expired()).hasSize(350);
            assertThat(plan.latest()).isEqualTo(Instant.parse("2025-12-31T02:00:00Z"));
            assertWellFormed(year2025, plan);
        }

        @Test
        void rulesKeepingEachBackupAreTheOnesTheReferenceNames() {
            Map<String, List<String>> rules = rulesById(plan);
            assertThat(rules.get("2025-12-31"))
                    .containsExactly("keep-last", "daily 2025-12-31", "weekly 2026-W01", "monthly 2025-12");
            assertThat(rules.get("2025-12-28")).containsExactly("daily 2025-12-28", "weekly 2025-W52");
            assertThat(rules.get("2025-12-25")).containsExactly("daily 2025-12-25");
            assertThat(rules.get("2025-12-21")).containsExactly("weekly 2025-W51");
            assertThat(rules.get("2025-12-14")).containsExactly("weekly 2025-W50");
            // Dec 7 is 24 days before latest, newer than the weekly cut-off 2025-12-03 02:00
            assertThat(rules.get("2025-12-07")).containsExactly("weekly 2025-W49");
            assertThat(rules.get("2025-11-30")).containsExactly("monthly 2025-11");
            assertThat(rules.get("2025-07-31")).containsExactly("monthly 2025-07");
        }

        @Test
        void juneSitsExactlyOnTheMonthlyCutOffAndIsExpired() {
            // latest minus 6 months = 2025-06-30 02:00, not strictly newer
            assertThat(ids(plan.expired())).contains("2025-06-30", "2025-12-24", "2025-12-06", "2025-01-01");
            // daily 7 keeps 7 days, not 8: Dec 24 02:00 is exactly latest - 7 days
            assertThat(rulesById(plan)).doesNotContainKey("2025-12-24");
        }

        @Test
        void inputOrderDoesNotMatter() {
            List<Candidate> shuffled = new ArrayList<>(year2025);
            Collections.shuffle(shuffled, new Random(42));
            assertThat(RetentionPlanner.plan(shuffled, RetentionPolicy.defaults()))
                    .isEqualTo(plan);
        }

        @Test
        void describeIsADryRunListingNewestFirst() {
            String text = plan.describe();
            String[] lines = text.split("\n");
            assertThat(lines).hasSize(1 + 365);
            assertThat(lines[0])
                    .contains("latest 2025-12-31T02:00:00Z")
                    .contains("15 kept, 350 expired")
                    .contains("daily 7")
                    .contains("weekly 4")
                    .contains("monthly 6");
            assertThat(lines[1])
                    .isEqualTo("KEEP   2025-12-31 (keep-last, daily 2025-12-31, weekly 2026-W01, monthly 2025-12)");
            assertThat(lines[8]).isEqualTo("EXPIRE 2025-12-24");
            assertThat(lines[11]).isEqualTo("KEEP   2025-12-21 (weekly 2025-W51)");
            assertThat(lines[365]).isEqualTo("EXPIRE 2025-01-01");
        }
    }

    @Nested
    class SeveralBackupsPerDay {
        /** Backups at 00:00, 06:00, 12:00, 18:00 UTC from Dec 1 to Dec 31, the last one Dec 31 12:00. */
        final List<Candidate> input = new ArrayList<>();

        SeveralBackupsPerDay() {
            for (LocalDate d = LocalDate.parse("2025-12-01");
                    !d.isAfter(LocalDate.parse("2025-12-31"));
                    d = d.plusDays(1)) {
                for (int h = 0; h < 24; h += 6) {
                    LocalDateTime t = d.atTime(h, 0);
                    if (t.isAfter(LocalDateTime.parse("2025-12-31T12:00"))) {
                        continue;
                    }
                    input.add(new Candidate(t.toString(), t.toInstant(ZoneOffset.UTC)));
                }
            }
        }

        @Test
        void newestOfEachDayCounts() {
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 3, 0, 0, UTC));
            // latest Dec 31 12:00; cut-off Dec 28 12:00. Dec 28's newest (18:00) is after it, so
            // Dec 28 qualifies (the reference tests the bucket's newest backup).
            assertThat(keptIds(plan))
                    .containsExactly("2025-12-31T12:00", "2025-12-30T18:00", "2025-12-29T18:00", "2025-12-28T18:00");
            assertThat(rulesById(plan).get("2025-12-28T18:00")).containsExactly("daily 2025-12-28");
            assertWellFormed(input, plan);
        }

        @Test
        void newestOfEachWeekAndMonthCounts() {
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 0, 2, 1, UTC));
            // weekly cut-off Dec 17 12:00: W01 (Dec 29..) newest Dec 31 12:00, W52 newest Dec 28 18:00,
            // W51 (Dec 15..21) newest Dec 21 18:00; monthly: December -> Dec 31 12:00 only
            assertThat(keptIds(plan)).containsExactly("2025-12-31T12:00", "2025-12-28T18:00", "2025-12-21T18:00");
            assertThat(rulesById(plan).get("2025-12-31T12:00"))
                    .containsExactly("keep-last", "weekly 2026-W01", "monthly 2025-12");
        }

        @Test
        void keepLastCountsBackupsNotDays() {
            RetentionPlan plan = RetentionPlanner.plan(input, policy(4, 0, 0, 0, UTC));
            assertThat(keptIds(plan))
                    .containsExactly("2025-12-31T12:00", "2025-12-31T06:00", "2025-12-31T00:00", "2025-12-30T18:00");
        }
    }

    @Nested
    class Gaps {
        @Test
        void nothingExpiresMerelyBecauseTimePassed() {
            // backups stopped on Mar 31; the planner has no clock, so whenever this runs (weeks
            // later) the plan is the one computed against latest = Mar 31
            List<Candidate> input = everyDay("2025-01-01", "2025-03-31");
            RetentionPlan plan = RetentionPlanner.plan(input, RetentionPolicy.defaults());
            assertThat(plan.latest()).isEqualTo(daily("2025-03-31").created());
            assertThat(keptIds(plan))
                    .containsExactly(
                            // daily: Mar 25..31; weekly cut-off Mar 3: W14 (Mar 31), W13 (Mar 30), W12 (Mar 23),
                            // W11 (Mar 16), W10 (Mar 9); monthly: Mar, Feb 28, Jan 31
                            "2025-03-31",
                            "2025-03-30",
                            "2025-03-29",
                            "2025-03-28",
                            "2025-03-27",
                            "2025-03-26",
                            "2025-03-25",
                            "2025-03-23",
                            "2025-03-16",
                            "2025-03-09",
                            "2025-02-28",
                            "2025-01-31");
            assertThat(RetentionPlanner.plan(input, RetentionPolicy.defaults())).isEqualTo(plan);
            assertWellFormed(input, plan);
        }

        @Test
        void aLongGapKeepsTheLastBackupBeforeItByTheMonthlyRule() {
            List<Candidate> input = new ArrayList<>(everyDay("2025-01-01", "2025-01-31"));
            input.add(daily("2025-03-15"));
            RetentionPlan plan = RetentionPlanner.plan(input, RetentionPolicy.defaults());
            // daily cut-off Mar 8 and weekly cut-off Feb 15 reach no January backup;
            // monthly cut-off 2024-09-15: January's newest (Jan 31) is kept
            assertThat(keptIds(plan)).containsExactly("2025-03-15", "2025-01-31");
            assertWellFormed(input, plan);
        }

        @Test
        void aSingleAncientBackupIsKept() {
            List<Candidate> input = List.of(daily("2019-05-05"));
            RetentionPlan plan = RetentionPlanner.plan(input, RetentionPolicy.defaults());
            assertThat(keptIds(plan)).containsExactly("2019-05-05");
            assertThat(plan.expired()).isEmpty();
        }
    }

    @Nested
    class IsoWeeks {
        @ParameterizedTest(name = "{0} is in {1}, month {2}")
        @CsvSource({
            "2025-12-29, 2026-W01, 2025-12",
            "2025-12-31, 2026-W01, 2025-12",
            "2026-01-04, 2026-W01, 2026-01",
            "2025-12-28, 2025-W52, 2025-12",
            "2024-12-30, 2025-W01, 2024-12",
            "2024-12-29, 2024-W52, 2024-12",
            "2021-01-03, 2020-W53, 2021-01",
            "2026-12-31, 2026-W53, 2026-12"
        })
        void weekAndMonthLabels(String day, String week, String month) {
            RetentionPlan plan = RetentionPlanner.plan(List.of(daily(day)), policy(1, 1, 1, 1, UTC));
            assertThat(plan.kept().get(0).rules())
                    .containsExactly("keep-last", "daily " + day, "weekly " + week, "monthly " + month);
        }

        @Test
        void weeksSpanTheTurnOfTheYear() {
            // 2024-W52 = Dec 23..29, 2025-W01 = Dec 30..Jan 5, 2025-W02 = Jan 6..12
            List<Candidate> input = everyDay("2024-12-23", "2025-01-12");
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 0, 4, 0, UTC));
            assertThat(keptIds(plan)).containsExactly("2025-01-12", "2025-01-05", "2024-12-29");
            assertThat(rulesById(plan).get("2025-01-05")).containsExactly("weekly 2025-W01");
            // Dec 31 is in 2025-W01, whose newest is Jan 5: expired, not a "last week of 2024"
            assertThat(ids(plan.expired())).contains("2024-12-31");
            assertWellFormed(input, plan);
        }

        @Test
        void endOfDecember2025IsWeekOneOf2026() {
            List<Candidate> input =
                    List.of(daily("2025-12-27"), daily("2025-12-29"), daily("2025-12-31"), daily("2026-01-02"));
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 0, 2, 0, UTC));
            assertThat(keptIds(plan)).containsExactly("2026-01-02", "2025-12-27");
            assertThat(ids(plan.expired())).containsExactly("2025-12-31", "2025-12-29");
        }
    }

    @Nested
    class DaylightSaving {
        /** Backups at 00:30 and 02:30 Berlin local time each day; 02:30 does not exist on Mar 30. */
        List<Candidate> twiceADay(String first, String last) {
            List<Candidate> out = new ArrayList<>();
            for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
                out.add(local(BERLIN, d + "T00:30"));
                out.add(local(BERLIN, d + "T02:30"));
            }
            return out;
        }

        @Test
        void springForwardKeepsSevenZoneDays() {
            List<Candidate> input = twiceADay("2025-03-24", "2025-04-02");
            // 02:30 on Mar 30 falls in the gap and becomes 03:30 CEST
            assertThat(ids(input)).contains("2025-03-30T03:30+02:00");
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 7, 0, 0, BERLIN));
            // latest Apr 2 02:30 CEST; cut-off 7 zone days earlier = Mar 26 02:30 CET, so Mar 27..Apr 2.
            // (Subtracting 7x24h would reach Mar 26 01:30 CET and keep an 8th day.)
            assertThat(keptIds(plan))
                    .containsExactly(
                            "2025-04-02T02:30+02:00",
                            "2025-04-01T02:30+02:00",
                            "2025-03-31T02:30+02:00",
                            "2025-03-30T03:30+02:00",
                            "2025-03-29T02:30+01:00",
                            "2025-03-28T02:30+01:00",
                            "2025-03-27T02:30+01:00");
            assertThat(rulesById(plan).get("2025-03-30T03:30+02:00")).containsExactly("daily 2025-03-30");
            // 00:30 local is the previous day in UTC; in the zone it is its own day's older backup
            assertThat(rulesById(plan)).doesNotContainKey("2025-03-31T00:30+02:00");
            assertThat(plan.expired()).hasSize(20 - 7);
            assertWellFormed(input, plan);
        }

        @Test
        void fallBackCountsTheRepeatedHourOnceNewestWins() {
            List<Candidate> input = twiceADay("2025-10-22", "2025-10-30");
            // 02:30 happens twice on Oct 26: add the second (CET) one as well
            ZonedDateTime second = ZonedDateTime.of(LocalDateTime.parse("2025-10-26T02:30"), BERLIN)
                    .withLaterOffsetAtOverlap();
            input.add(new Candidate(second.toOffsetDateTime().toString(), second.toInstant()));
            assertThat(ids(input)).contains("2025-10-26T02:30+02:00", "2025-10-26T02:30+01:00");

            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 7, 0, 0, BERLIN));
            // latest Oct 30 02:30 CET; cut-off Oct 23 02:30 CEST: Oct 24..30, one backup per day
            assertThat(keptIds(plan))
                    .containsExactly(
                            "2025-10-30T02:30+01:00",
                            "2025-10-29T02:30+01:00",
                            "2025-10-28T02:30+01:00",
                            "2025-10-27T02:30+01:00",
                            "2025-10-26T02:30+01:00",
                            "2025-10-25T02:30+02:00",
                            "2025-10-24T02:30+02:00");
            assertThat(ids(plan.expired())).contains("2025-10-26T02:30+02:00", "2025-10-26T00:30+02:00");
            assertWellFormed(input, plan);
        }

        @Test
        void calendarDaysAreTheZonesDays() {
            // 23:30 and 00:30 Berlin summer time are both June 10 in UTC (21:30Z, 22:30Z)
            List<Candidate> input = List.of(local(BERLIN, "2025-06-10T23:30"), local(BERLIN, "2025-06-11T00:30"));
            RetentionPlan berlin = RetentionPlanner.plan(input, policy(1, 7, 0, 0, BERLIN));
            assertThat(berlin.kept())
                    .extracting(Kept::rules)
                    .containsExactly(List.of("keep-last", "daily 2025-06-11"), List.of("daily 2025-06-10"));
            RetentionPlan utc = RetentionPlanner.plan(input, policy(1, 7, 0, 0, UTC));
            assertThat(utc.kept()).extracting(Kept::rules).containsExactly(List.of("keep-last", "daily 2025-06-10"));
            assertThat(utc.expired()).hasSize(1);
        }

        @Test
        void monthlyCutOffInTheSpringGapMovesLater() {
            // latest Apr 30 02:30 CEST, monthly 1: Mar 30 02:30 does not exist in Berlin and resolves
            // to 03:30 CEST (documented choice). March's newest at 03:15 CEST is before it.
            List<Candidate> input = List.of(local(BERLIN, "2025-03-30T03:15"), local(BERLIN, "2025-04-30T02:30"));
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 0, 0, 1, BERLIN));
            assertThat(keptIds(plan)).containsExactly("2025-04-30T02:30+02:00");
            List<Candidate> later = List.of(local(BERLIN, "2025-03-30T03:45"), local(BERLIN, "2025-04-30T02:30"));
            assertThat(keptIds(RetentionPlanner.plan(later, policy(1, 0, 0, 1, BERLIN))))
                    .containsExactly("2025-04-30T02:30+02:00", "2025-03-30T03:45+02:00");
        }
    }

    @Nested
    class MonthEnds {
        /** Month-end backups at 02:00 UTC, Jan 2024 .. Dec 2025 (2024 is a leap year). */
        final List<Candidate> monthEnds = new ArrayList<>();

        MonthEnds() {
            for (LocalDate m = LocalDate.parse("2024-01-01"); m.getYear() < 2026; m = m.plusMonths(1)) {
                monthEnds.add(daily(m.withDayOfMonth(m.lengthOfMonth())));
            }
        }

        static Stream<Arguments> cases() {
            return Stream.of(
                    // latest, months, expected kept (derived: cut-off = latest minus M months, clamped
                    // to the month's last day; a month counts when its backup is strictly after it)
                    Arguments.of("2025-05-31", 1, List.of("2025-05-31")), // cut-off Apr 30: equal
                    Arguments.of("2025-04-30", 1, List.of("2025-04-30", "2025-03-31")), // cut-off Mar 30
                    Arguments.of("2025-03-31", 1, List.of("2025-03-31")), // cut-off Feb 28: equal
                    Arguments.of("2025-03-31", 2, List.of("2025-03-31", "2025-02-28")), // cut-off Jan 31: equal
                    Arguments.of("2025-02-28", 1, List.of("2025-02-28", "2025-01-31")), // cut-off Jan 28
                    Arguments.of("2024-03-31", 1, List.of("2024-03-31")), // cut-off Feb 29: equal
                    Arguments.of("2024-02-29", 1, List.of("2024-02-29", "2024-01-31")), // cut-off Jan 29
                    Arguments.of(
                            "2025-02-28",
                            12,
                            List.of(
                                    "2025-02-28",
                                    "2025-01-31",
                                    "2024-12-31",
                                    "2024-11-30",
                                    "2024-10-31",
                                    "2024-09-30",
                                    "2024-08-31",
                                    "2024-07-31",
                                    "2024-06-30",
                                    "2024-05-31",
                                    "2024-04-30",
                                    "2024-03-31",
                                    "2024-02-29")), // cut-off 2024-02-28 02:00 < Feb 29: 13 months
                    Arguments.of(
                            "2025-03-31",
                            12,
                            List.of(
                                    "2025-03-31",
                                    "2025-02-28",
                                    "2025-01-31",
                                    "2024-12-31",
                                    "2024-11-30",
                                    "2024-10-31",
                                    "2024-09-30",
                                    "2024-08-31",
                                    "2024-07-31",
                                    "2024-06-30",
                                    "2024-05-31",
                                    "2024-04-30"))); // cut-off 2024-03-31: equal
        }

        @ParameterizedTest(name = "latest {0}, monthly {1}")
        @MethodSource("cases")
        void monthlyWindowAtMonthEnds(String latest, int months, List<String> expected) {
            List<Candidate> input = monthEnds.stream()
                    .filter(b -> !b.created().isAfter(daily(latest).created()))
                    .toList();
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 0, 0, months, UTC));
            assertThat(keptIds(plan)).containsExactlyElementsOf(expected);
            assertWellFormed(input, plan);
        }

        @Test
        void theOldestMonthCountsWhenItsNewestIsAfterTheCutOff() {
            // latest Dec 15, monthly 6: cut-off Jun 15 02:00; June's newest (Jun 20) is after it
            List<Candidate> input = List.of(
                    daily("2025-06-01"),
                    daily("2025-06-20"),
                    daily("2025-07-10"),
                    daily("2025-12-15"),
                    daily("2025-05-31"));
            RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 0, 0, 6, UTC));
            assertThat(keptIds(plan)).containsExactly("2025-12-15", "2025-07-10", "2025-06-20");
            assertThat(ids(plan.expired())).containsExactly("2025-06-01", "2025-05-31");
        }
    }

    @Nested
    class KeepLastAndEdges {
        final List<Candidate> year2025 = everyDay("2025-01-01", "2025-12-31");

        @Test
        void keepLastAlone() {
            RetentionPlan plan = RetentionPlanner.plan(year2025, policy(10, 0, 0, 0, UTC));
            assertThat(keptIds(plan)).containsExactlyElementsOf(newestFirst(ids(everyDay("2025-12-22", "2025-12-31"))));
            assertThat(plan.kept()).allSatisfy(k -> assertThat(k.rules()).containsExactly("keep-last"));
            assertThat(plan.expired()).hasSize(355);
        }

        @Test
        void keepLastBeyondTheCalendarRulesIsAUnion() {
            RetentionPlan plan = RetentionPlanner.plan(year2025, policy(20, 7, 4, 6, UTC));
            // the 20 newest (Dec 12..31) plus what only the calendar rules keep: Dec 7 (weekly)
            // and Nov 30, Oct 31, Sep 30, Aug 31, Jul 31 (monthly)
            List<String> expected = new ArrayList<>(newestFirst(ids(everyDay("2025-12-12", "2025-12-31"))));
            expected.addAll(
                    List.of("2025-12-07", "2025-11-30", "2025-10-31", "2025-09-30", "2025-08-31", "2025-07-31"));
            assertThat(keptIds(plan)).containsExactlyElementsOf(expected);
            assertThat(rulesById(plan).get("2025-12-14")).containsExactly("keep-last", "weekly 2025-W50");
            assertThat(rulesById(plan).get("2025-12-13")).containsExactly("keep-last");
            assertWellFormed(year2025, plan);
        }

        @Test
        void keepLastLargerThanTheInputKeepsAll() {
            List<Candidate> input = everyDay("2025-01-01", "2025-01-05");
            RetentionPlan plan = RetentionPlanner.plan(input, policy(50, 0, 0, 0, UTC));
            assertThat(plan.kept()).hasSize(5);
            assertThat(plan.expired()).isEmpty();
        }

        @Test
        void newestIsAlwaysKeptWithOnlyKeepLastOne() {
            RetentionPlan plan = RetentionPlanner.plan(year2025, policy(1, 0, 0, 0, UTC));
            assertThat(keptIds(plan)).containsExactly("2025-12-31");
            assertThat(plan.expired()).hasSize(364);
            assertThat(plan.describe()).contains("KEEP   2025-12-31 (keep-last)");
        }

        @Test
        void emptyInputGivesAnEmptyPlan() {
            RetentionPlan plan = RetentionPlanner.plan(List.of(), RetentionPolicy.defaults());
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.kept()).isEmpty();
            assertThat(plan.expired()).isEmpty();
            assertThat(plan.latest()).isNull();
            assertThat(plan.describe()).contains("0 kept, 0 expired").doesNotContain("\n");
        }

        @Test
        void invalidPolicyIsRefused() {
            assertThatThrownBy(() -> RetentionPlanner.plan(year2025, new RetentionPolicy(0, 0, 0, 0, UTC)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("would keep nothing");
        }

        @Test
        void duplicateIdsAreRefused() {
            List<Candidate> input =
                    List.of(daily("2025-01-01"), new Candidate("2025-01-01", Instant.parse("2025-01-02T00:00:00Z")));
            assertThatThrownBy(() -> RetentionPlanner.plan(input, RetentionPolicy.defaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("duplicate backup id: 2025-01-01");
        }

        @Test
        void backupsWithTheSameTimeAreOrderedDeterministically() {
            Instant t = Instant.parse("2025-06-01T02:00:00Z");
            List<Candidate> input = List.of(new Candidate("a", t), new Candidate("b", t));
            RetentionPlan plan = RetentionPlanner.plan(input, RetentionPolicy.defaults());
            assertThat(keptIds(plan)).containsExactly("b");
            assertThat(ids(plan.expired())).containsExactly("a");
            assertThat(RetentionPlanner.plan(List.of(input.get(1), input.get(0)), RetentionPolicy.defaults()))
                    .isEqualTo(plan);
        }
    }

    @Test
    void plansTwoThousandBackups() {
        // every 4 hours for ~333 days, in random order
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        List<Candidate> input = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            input.add(new Candidate("snap-" + i, start.plus(4L * i, ChronoUnit.HOURS)));
        }
        Collections.shuffle(input, new Random(7));
        RetentionPlan plan = RetentionPlanner.plan(input, RetentionPolicy.defaults());
        assertThat(plan.latest()).isEqualTo(start.plus(4L * 1999, ChronoUnit.HOURS));
        assertThat(plan.kept().get(0).backup().id()).isEqualTo("snap-1999");
        // at most keep-last + 8 days + 5 weeks + 7 months, whatever the spacing
        assertThat(plan.kept().size()).isBetween(7, 1 + 8 + 5 + 7);
        assertWellFormed(input, plan);
        assertThat(plan.describe().lines().count()).isEqualTo(2001);
    }

    @Test
    void latestTimeOfDayOnlyAffectsPartialBuckets() {
        // backups at 02:00 daily; latest at 01:00 on the last day -> daily 7 cut-off Dec 24 01:00,
        // Dec 24 02:00 is strictly newer, so Dec 24 qualifies too (the bucket's newest decides)
        List<Candidate> input = new ArrayList<>(everyDay("2025-12-01", "2025-12-30"));
        input.add(new Candidate("last", Instant.parse("2025-12-31T01:00:00Z")));
        RetentionPlan plan = RetentionPlanner.plan(input, policy(1, 7, 0, 0, UTC));
        assertThat(keptIds(plan))
                .containsExactly(
                        "last",
                        "2025-12-30",
                        "2025-12-29",
                        "2025-12-28",
                        "2025-12-27",
                        "2025-12-26",
                        "2025-12-25",
                        "2025-12-24");
    }
}
