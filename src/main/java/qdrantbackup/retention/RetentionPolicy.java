package qdrantbackup.retention;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * How many backups one place (the local archive, or one offsite target) keeps.
 *
 * <p>Semantics (see docs: retention policy): a backup is kept when ANY rule keeps it.
 * <ul>
 *   <li>{@code keepLast} N: the N newest backups, whatever their dates (at least 1: the newest
 *       successful backup is never expired);</li>
 *   <li>{@code daily} D: the newest backup of each calendar day whose newest backup is strictly
 *       newer than {@code latest} minus D days;</li>
 *   <li>{@code weekly} W: the newest backup of each ISO week (week-based year) whose newest backup
 *       is strictly newer than {@code latest} minus W weeks;</li>
 *   <li>{@code monthly} M: the newest backup of each calendar month whose newest backup is
 *       strictly newer than {@code latest} minus M calendar months.</li>
 * </ul>
 * Days, weeks and months are taken in {@code zone}. A value of 0 switches a calendar rule off.
 *
 * <p>The canonical constructor does not validate, so that configuration code can build a policy
 * and then report problems with its own setting names via {@link #validate(String)}. Use
 * {@link #of} to build and validate in one step.
 */
public record RetentionPolicy(int keepLast, int daily, int weekly, int monthly, ZoneId zone) {

    /** Setting prefix of the local archive's policy; offsite targets use e.g. {@code offsite.retention}. */
    public static final String DEFAULT_PREFIX = "retention";

    /** keep-last 1, daily 7, weekly 4, monthly 6, UTC. */
    public static RetentionPolicy defaults() {
        return new RetentionPolicy(1, 7, 4, 6, ZoneId.of("UTC"));
    }

    /** Builds a policy and validates it, naming settings under {@code prefix} (e.g. {@code offsite.retention}). */
    public static RetentionPolicy of(int keepLast, int daily, int weekly, int monthly, String zone, String prefix) {
        return new RetentionPolicy(keepLast, daily, weekly, monthly, parseZone(zone, prefix)).validate(prefix);
    }

    /**
     * Parses a time zone setting ({@code UTC}, {@code Europe/Berlin}, {@code +02:00}).
     *
     * @throws IllegalArgumentException with a one-line message naming {@code <prefix>.timezone}
     */
    public static ZoneId parseZone(String zone, String prefix) {
        String setting = prefix + ".timezone";
        if (zone == null || zone.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty: set a time zone such as UTC or Europe/Berlin");
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    setting + "=" + zone
                            + " is not a known time zone: use a region id such as Europe/Berlin, UTC, or an offset such as +02:00");
        }
    }

    /** Same as {@link #validate(String)} with the {@value #DEFAULT_PREFIX} prefix. */
    public RetentionPolicy validate() {
        return validate(DEFAULT_PREFIX);
    }

    /**
     * Refuses nonsense with a one-line message that names the setting, its value and the fix.
     *
     * @param prefix setting prefix used in messages, e.g. {@code retention} or {@code offsite.retention}
     * @return this policy, for chaining
     * @throws IllegalArgumentException when the policy is invalid
     */
    public RetentionPolicy validate(String prefix) {
        negative(prefix, "keep-last", keepLast, "use 1 or more");
        negative(prefix, "daily", daily, "use 0 to switch daily retention off, or a number of days");
        negative(prefix, "weekly", weekly, "use 0 to switch weekly retention off, or a number of weeks");
        negative(prefix, "monthly", monthly, "use 0 to switch monthly retention off, or a number of months");
        if (keepLast == 0 && daily == 0 && weekly == 0 && monthly == 0) {
            throw new IllegalArgumentException(prefix + ".keep-last, " + prefix + ".daily, " + prefix + ".weekly and "
                    + prefix + ".monthly are all 0, which would keep nothing: set " + prefix
                    + ".keep-last to 1 or more (defaults: keep-last 1, daily 7, weekly 4, monthly 6)");
        }
        if (keepLast < 1) {
            throw new IllegalArgumentException(prefix + ".keep-last=" + keepLast
                    + " is not allowed: the newest backup is never expired, set it to 1 or more");
        }
        if (zone == null) {
            throw new IllegalArgumentException(
                    prefix + ".timezone is not set: set a time zone such as UTC or Europe/Berlin");
        }
        return this;
    }

    private static void negative(String prefix, String name, int value, String fix) {
        if (value < 0) {
            throw new IllegalArgumentException(prefix + "." + name + "=" + value + " is negative: " + fix);
        }
    }

    /** E.g. {@code keep-last 1, daily 7, weekly 4, monthly 6, zone UTC}. */
    public String describe() {
        return "keep-last " + keepLast + ", daily " + daily + ", weekly " + weekly + ", monthly " + monthly + ", zone "
                + zone;
    }
}
