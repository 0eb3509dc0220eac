package qdrantbackup.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.store.BackupStore;
import qdrantbackup.store.Manifest;
import qdrantbackup.store.local.LocalStore;

/** The upload of archived backups the bucket lacks, limited to what the bucket's own retention keeps. */
final class OffsiteCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(OffsiteCatchUp.class);

    private final LocalStore archive;
    private final BackupStore offsite;
    private final Function<List<Manifest>, Set<String>> offsiteKeeps;

    OffsiteCatchUp(LocalStore archive, BackupStore offsite, Function<List<Manifest>, Set<String>> offsiteKeeps) {
        this.archive = archive;
        this.offsite = offsite;
        this.offsiteKeeps = offsiteKeeps;
    }

    /** Uploads every archived backup the offsite target lacks and its policy keeps: a missed night heals itself. */
    void run() {
        int[] counts = new int[3]; // uploaded, failed, left out by the bucket's policy
        for (String collection : archive.collections()) {
            try {
                catchUp(collection, counts);
            } catch (RuntimeException e) {
                counts[1]++;
                LOG.error("{}: catching up offsite failed: {}", collection, e.getMessage());
            }
        }
        if (counts[0] + counts[1] > 0) {
            LOG.info(
                    "offsite catch-up: {} uploaded, {} failed, {} not needed (the bucket's retention would expire them)",
                    counts[0],
                    counts[1],
                    counts[2]);
        }
    }

    private void catchUp(String collection, int[] counts) {
        List<Manifest> local = archive.list(collection);
        Set<String> keeps = null;
        if (offsiteKeeps != null && !local.isEmpty()) {
            // planned over what the bucket will hold: its own backups and the archive's
            List<Manifest> both = new ArrayList<>(offsite.list(collection));
            both.addAll(local);
            keeps = offsiteKeeps.apply(both);
        }
        for (Manifest backup : local) {
            if (keeps != null && !keeps.contains(backup.snapshot())) {
                counts[2]++;
                continue;
            }
            try {
                if (!offsite.has(backup)) {
                    LOG.info("{}: {} is missing offsite, uploading it", backup.collection(), backup.snapshot());
                    offsite.put(backup, archive.folder(backup.collection()));
                    counts[0]++;
                }
            } catch (RuntimeException e) {
                counts[1]++;
                LOG.error(
                        "{}: catching up {} offsite failed: {}",
                        backup.collection(),
                        backup.snapshot(),
                        e.getMessage());
            }
        }
    }
}
