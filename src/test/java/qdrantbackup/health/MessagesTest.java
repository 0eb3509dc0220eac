package qdrantbackup.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void credentialsInAUrlAreMaskedAndTheTextFitsJson() {
        assertThat(Messages.safe("Qdrant at https://admin:s3cret@qdrant:6333 said \"no\"\nbye"))
                .isEqualTo("Qdrant at ***@qdrant:6333 said 'no' bye");
        assertThat(Messages.safe(null)).isEqualTo("unknown error");
    }
}
