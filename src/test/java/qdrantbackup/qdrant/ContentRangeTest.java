package qdrantbackup.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentRangeTest {
    @Test
    void readsStartAndTotalAsActixFilesWritesThem() {
        assertThat(ContentRange.parse("bytes 1000-4193303/4194304")).containsExactly(1000, 4194304);
        assertThat(ContentRange.parse("bytes 0-0/1")).containsExactly(0, 1);
        assertThat(ContentRange.parse("bytes 5-9/*")).containsExactly(5, -1);
    }

    @Test
    void anythingElseIsUnreadable() {
        assertThat(ContentRange.parse((String) null)).containsExactly(-1, -1);
        assertThat(ContentRange.parse("bytes */4194304")).containsExactly(-1, -1);
        assertThat(ContentRange.parse("bytes 9-5/10")).containsExactly(-1, -1);
        assertThat(ContentRange.parse("bytes 5-10/10")).containsExactly(-1, -1);
        assertThat(ContentRange.parse("items 0-1/2")).containsExactly(-1, -1);
        assertThat(ContentRange.parse("bytes 0-1/99999999999999999999")).containsExactly(-1, -1);
    }
}
