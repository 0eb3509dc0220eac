package qdrantbackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import qdrantbackup.store.ClusterSet;

/** The payload indexes a set records, from the collection info's payload_schema (Qdrant v1.19 PayloadIndexInfo). */
class SetPayloadSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachIndexKeepsItsTypeAndItsParamsWhenItHasThem() throws Exception {
        var info = JSON.readTree("{\"payload_schema\":{"
                + "\"tag\":{\"data_type\":\"keyword\",\"points\":12},"
                + "\"n\":{\"data_type\":\"integer\",\"params\":{\"type\":\"integer\",\"lookup\":true,\"range\":false},"
                + "\"points\":630}}}");
        var schema = ClusterSetBackup.payloadSchema(info);
        assertThat(schema).containsOnlyKeys("tag", "n");
        assertThat(schema.get("tag")).isEqualTo(new ClusterSet.PayloadIndex("keyword", null));
        assertThat(schema.get("tag").fieldSchema().asText()).isEqualTo("keyword");
        assertThat(schema.get("n").dataType()).isEqualTo("integer");
        assertThat(schema.get("n").fieldSchema().toString())
                .isEqualTo("{\"type\":\"integer\",\"lookup\":true,\"range\":false}");
    }

    @Test
    void noIndexesRecordNothing() throws Exception {
        assertThat(ClusterSetBackup.payloadSchema(JSON.readTree("{\"payload_schema\":{}}")))
                .isNull();
        assertThat(ClusterSetBackup.payloadSchema(JSON.readTree("{}"))).isNull();
    }
}
