package qdrantbackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreRequestTest {
    @TempDir
    Path dir;

    private RestoreRequest read(String json) throws Exception {
        return RestoreRequest.read(Files.writeString(dir.resolve("r.restore.json"), json));
    }

    @Test
    void targetDefaultsToTheCollection() throws Exception {
        RestoreRequest r = read("{\"collection\": \"products\", \"snapshot\": \"latest\"}");
        assertThat(r.target()).isEqualTo("products");
        assertThat(r.latest()).isTrue();
        assertThat(r.replace()).isFalse();
    }

    @Test
    void allFields() throws Exception {
        RestoreRequest r =
                read("{\"collection\":\"p\",\"snapshot\":\"p-1.snapshot\",\"target\":\"q\",\"replace\":true}");
        assertThat(r).isEqualTo(new RestoreRequest("p", "p-1.snapshot", "q", true));
    }

    @Test
    void problemsAreNamedWithTheFix() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("not");
        assertThatThrownBy(() -> read("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> read("{\"snapshot\": \"latest\"}")).hasMessageContaining("lacks \"collection\"");
        assertThatThrownBy(() -> read("{\"collection\": \"p\", \"snapshot\": \" \"}"))
                .hasMessageContaining("lacks \"snapshot\"");
        assertThatThrownBy(() -> read("{\"collection\": 5, \"snapshot\": \"latest\"}"))
                .hasMessageContaining("\"collection\" must be a string");
        assertThatThrownBy(() -> read("{\"collection\": \"p\", \"snapshot\": \"latest\", \"traget\": \"x\"}"))
                .isInstanceOf(RestoreRefused.class)
                .hasMessageContaining("unknown field 'traget'");
    }
}
