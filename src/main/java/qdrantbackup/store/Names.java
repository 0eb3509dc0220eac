package qdrantbackup.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Collection and snapshot names become folder, file and key names: refuse any that could escape the archive
 * folder, that Qdrant itself refuses, that a file system cannot hold (255 bytes, with the longest sidecar), or
 * that would share a folder with something the archive root holds besides collections. Names are used exactly
 * as given, trailing spaces included: {@code a} and {@code a } are two folders and two keys.
 */
public final class Names {
    private static final String FORBIDDEN = "<>:\"/\\|?*";
    /** The longest a file name may be, in bytes, on the usual file systems (ext4, XFS, APFS, NTFS). */
    public static final int MAX_BYTES = 255;
    /** The longest name added to a snapshot's file name: its manifest while being written. */
    public static final String LONGEST_SIDECAR = ".json.part";
    /**
     * What a Qdrant snapshot name adds to a collection name, at most: {@code -<peer id, up to 20
     * digits>-YYYY-MM-DD-HH-MM-SS.snapshot}, then the longest sidecar.
     */
    static final int SNAPSHOT_NAME_ADDS = 1 + 20 + 20 + ".snapshot".length() + LONGEST_SIDECAR.length();
    /** Names in the archive root (and the bucket's prefix) that are not collections. */
    private static final Map<String, String> RESERVED = Map.of(
            "full-storage", "the folder of the full-storage snapshots (backup.full-storage)",
            ".lock", "the archive's lock file");

    private Names() {}

    /** Returns {@code name} when it is safe as one path element, else throws naming the problem. */
    public static String check(String what, String name) {
        return thrown(what, name, problem(name));
    }

    /** Returns {@code name} when it is safe as a file name with its sidecars, else throws naming the problem. */
    public static String checkFile(String what, String name) {
        return thrown(what, name, fileProblem(name));
    }

    /** Why {@code name} cannot be used as one path element, or null when it can. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        int bytes = bytes(name);
        if (bytes > MAX_BYTES) {
            return "it is " + bytes + " bytes long in UTF-8, more than the " + MAX_BYTES + " a file name may have";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it would point outside the archive folder";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "it contains a control character";
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "it contains '" + c + "' (Qdrant refuses < > : \" / \\ | ? * in names)";
            }
        }
        return null;
    }

    /** Why a snapshot file name cannot be used: also when its longest sidecar would not fit. */
    public static String fileProblem(String name) {
        String problem = problem(name);
        if (problem != null) {
            return problem;
        }
        int bytes = bytes(name + LONGEST_SIDECAR);
        return bytes <= MAX_BYTES
                ? null
                : "with its sidecar " + LONGEST_SIDECAR + " it is " + bytes + " bytes long in UTF-8, more than the "
                        + MAX_BYTES + " a file name may have";
    }

    /**
     * Why a Qdrant collection cannot be backed up or restored under this name: a path problem, a name reserved
     * in the archive root, or one whose snapshot files would not fit the file system.
     */
    public static String collectionProblem(String name) {
        String problem = problem(name);
        if (problem != null) {
            return problem;
        }
        String reserved = RESERVED.get(name);
        if (reserved != null) {
            return "it is the name of " + reserved + " in the archive; rename the collection or give it an alias";
        }
        int bytes = bytes(name) + SNAPSHOT_NAME_ADDS;
        return bytes <= MAX_BYTES
                ? null
                : "its snapshot files (<name>-<peer>-<time>.snapshot" + LONGEST_SIDECAR + ") would be up to " + bytes
                        + " bytes long in UTF-8, more than the " + MAX_BYTES + " a file name may have; use a name of"
                        + " at most " + (MAX_BYTES - SNAPSHOT_NAME_ADDS) + " bytes";
    }

    private static String thrown(String what, String name, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(what + " name '" + printable(name) + "' is refused: " + problem);
        }
        return name;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String printable(String name) {
        return name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
    }
}
