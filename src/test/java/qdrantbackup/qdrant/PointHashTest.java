package qdrantbackup.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PointHashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSamePointHashesTheSameWhateverItsKeyOrderAndFloatPrinting() throws Exception {
        String a = PointHash.of(JSON.readTree(
                "{\"id\":1,\"payload\":{\"b\":2,\"a\":\"x\",\"n\":{\"z\":1.5,\"y\":[1,2]}},\"vector\":[0.1,0.2]}"));
        String b = PointHash.of(JSON.readTree("{\"vector\":[0.10000000149011612,0.20000000298023224],"
                + "\"payload\":{\"a\":\"x\",\"n\":{\"y\":[1,2],\"z\":1.5},\"b\":2},\"id\":1}"));
        assertThat(a).isEqualTo(b).hasSize(64);
    }

    @Test
    void oneChangedComponentOrPayloadValueChangesTheHash() throws Exception {
        String a = PointHash.of(JSON.readTree("{\"payload\":{\"a\":\"x\"},\"vector\":{\"img\":[0.1,0.2]}}"));
        String vector = PointHash.of(JSON.readTree("{\"payload\":{\"a\":\"x\"},\"vector\":{\"img\":[0.1,0.2001]}}"));
        String payload = PointHash.of(JSON.readTree("{\"payload\":{\"a\":\"y\"},\"vector\":{\"img\":[0.1,0.2]}}"));
        assertThat(a).isNotEqualTo(vector).isNotEqualTo(payload);
    }
}
