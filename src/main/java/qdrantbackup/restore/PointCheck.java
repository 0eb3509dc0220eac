package qdrantbackup.restore;

import qdrantbackup.store.Manifest;

/**
 * The point count check after a restore: exact when the collection took no writes while its snapshot was made,
 * else within the range the manifest recorded (counted before and after the snapshot).
 */
final class PointCheck {
    private PointCheck() {}

    /** Null when {@code points} agrees with the manifest, else what is wrong (starting with the count). */
    static String problem(long points, Manifest m) {
        if (m.exactCount() || m.pointCountAfter() == null) {
            return points == m.pointCount() ? null : points + " points, the manifest says " + m.pointCount();
        }
        long low = Math.min(m.pointCount(), m.pointCountAfter());
        long high = Math.max(m.pointCount(), m.pointCountAfter());
        return points >= low && points <= high
                ? null
                : points + " points, outside the range " + low + ".." + high + " the manifest recorded (the"
                        + " collection took writes while the snapshot was made)";
    }

    /** The passed check's detail: which comparison was made. */
    static String agreement(long points, Manifest m) {
        if (m.exactCount() || m.pointCountAfter() == null) {
            return points + " = " + m.pointCount() + " in the manifest (exact count)";
        }
        long low = Math.min(m.pointCount(), m.pointCountAfter());
        long high = Math.max(m.pointCount(), m.pointCountAfter());
        return points + " within " + low + ".." + high + " in the manifest (range: the collection took writes while"
                + " the snapshot was made)";
    }
}
