package qdrantbackup.backup;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * What a run backs up: collections matching an include pattern and no exclude pattern (globs,
 * comma-separated, e.g. {@code prod_*,users}), the full storage optionally, and whether snapshots
 * are deleted from the server once archived.
 */
public record BackupOptions(List<String> include, List<String> exclude, boolean fullStorage, boolean deleteFromServer) {

    public static List<String> patterns(String csv) {
        return csv == null || csv.isBlank()
                ? List.of()
                : Arrays.stream(csv.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    boolean selects(String collection) {
        boolean included = include.isEmpty() || include.stream().anyMatch(p -> matches(p, collection));
        return included && exclude.stream().noneMatch(p -> matches(p, collection));
    }

    private static boolean matches(String glob, String name) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        // a name with a slash cannot be a Path element; it never matches (and is refused later)
        return !name.contains("/") && matcher.matches(Path.of(name));
    }
}
