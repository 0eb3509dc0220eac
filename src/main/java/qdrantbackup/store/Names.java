package qdrantbackup.store;

/**
 * Collection and snapshot names become folder and file names: refuse any that could escape the
 * archive folder or that Qdrant itself refuses.
 */
public final class Names {
    private static final String FORBIDDEN = "<>:\"/\\|?*";

    private Names() {}

    /** Returns {@code name} when it is safe as one path element, else throws naming the problem. */
    public static String check(String what, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(what + " name '" + printable(name) + "' is refused: " + problem);
        }
        return name;
    }

    /** Why {@code name} cannot be used, or null when it can. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > 255) {
            return "it is longer than 255 characters";
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

    private static String printable(String name) {
        return name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
    }
}
