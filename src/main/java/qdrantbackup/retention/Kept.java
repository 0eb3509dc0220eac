package qdrantbackup.retention;

import java.util.List;
import java.util.Objects;

/**
 * A backup the plan keeps, with every rule that keeps it, in the order keep-last, daily, weekly,
 * monthly, e.g. {@code [keep-last, daily 2025-12-31, weekly 2026-W01, monthly 2025-12]}.
 */
public record Kept(Candidate backup, List<String> rules) {
    public Kept {
        Objects.requireNonNull(backup, "backup");
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a kept backup needs at least one rule: " + backup.id());
        }
    }
}
