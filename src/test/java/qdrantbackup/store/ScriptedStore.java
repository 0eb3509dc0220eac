package qdrantbackup.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A store for tests of the stores' users (catalogue, retention, metrics): it holds the manifests it is given,
 * answers {@link #has} for those and for {@code alsoHas}, and can be made to fail — as a bucket that does not
 * answer ({@link #down}) or refuses deletes ({@link #refusingDeletes}).
 */
public final class ScriptedStore implements BackupStore {
    private final List<Manifest> held = new ArrayList<>();
    private final Set<String> alsoHas = new TreeSet<>();
    private final String name;
    private boolean down;
    private boolean refusingDeletes;

    public ScriptedStore(String name, List<Manifest> held) {
        this.name = name;
        this.held.addAll(held);
    }

    /** Answers {@link #has} true for this backup though the listing lacks it (a listing that is not complete). */
    public ScriptedStore alsoHas(Manifest backup) {
        alsoHas.add(backup.snapshot());
        return this;
    }

    /** Every call fails as a bucket that does not answer. */
    public ScriptedStore down() {
        down = true;
        return this;
    }

    /** Deletes fail (a read-only archive). */
    public ScriptedStore refusingDeletes() {
        refusingDeletes = true;
        return this;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public List<String> collections() {
        answer();
        return held.stream().map(Manifest::collection).distinct().sorted().toList();
    }

    @Override
    public List<Manifest> list(String collection) {
        answer();
        return held.stream()
                .filter(m -> m.collection().equals(collection))
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .toList();
    }

    @Override
    public boolean has(Manifest backup) {
        answer();
        return alsoHas.contains(backup.snapshot())
                || held.stream().anyMatch(m -> m.snapshot().equals(backup.snapshot()) && m.sameData(backup));
    }

    @Override
    public void put(Manifest backup, Path folder) {
        answer();
        held.add(backup);
    }

    @Override
    public void fetch(Manifest backup, Path folder) {
        throw new UnsupportedOperationException("a scripted store holds no files");
    }

    @Override
    public void delete(List<Manifest> backups) {
        answer();
        if (refusingDeletes) {
            throw new IllegalStateException(name + " is read-only");
        }
        held.removeAll(backups);
    }

    @Override
    public void checkWritable() {
        answer();
    }

    private void answer() {
        if (down) {
            throw new IllegalStateException(name + " is unreachable");
        }
    }
}
