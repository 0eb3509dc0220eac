package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DropTest {
    @Test
    void kindsByName() {
        assertThat(Drop.kind("a.snapshot")).isEqualTo(Drop.Kind.SNAPSHOT);
        assertThat(Drop.kind("x.restore.json")).isEqualTo(Drop.Kind.REQUEST);
        assertThat(Drop.kind("backup-now")).isEqualTo(Drop.Kind.BACKUP_NOW);
        assertThat(Drop.kind("backup-now.users")).isEqualTo(Drop.Kind.BACKUP_NOW);
        assertThatThrownBy(() -> Drop.kind("backup-nowhere"))
                .isInstanceOf(RestoreRefused.class)
                .hasMessageContaining("backup-now.<collection>");
    }

    @Test
    void theCollectionComesFromQdrantsNaming() {
        assertThat(Drop.collectionFromName("products-11532566549086892528-2026-01-02-03-04-05.snapshot"))
                .isEqualTo("products");
        assertThat(Drop.collectionFromName("my-coll-v2-1-2026-01-02-03-04-05.snapshot"))
                .isEqualTo("my-coll-v2");
        assertThat(Drop.collectionFromName("produits été-7-2026-01-02-03-04-05.snapshot"))
                .isEqualTo("produits été");
        assertThat(Drop.collectionFromName("products.snapshot")).isNull();
        assertThat(Drop.collectionFromName("products-2026-01-02.snapshot")).isNull();
    }

    @Test
    void triggerCollection() {
        assertThat(Drop.triggerCollection("backup-now")).isNull();
        assertThat(Drop.triggerCollection("backup-now.users")).isEqualTo("users");
    }
}
