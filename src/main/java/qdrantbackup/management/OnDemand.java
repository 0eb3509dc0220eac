package qdrantbackup.management;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.backup.Backup;
import qdrantbackup.ha.Leadership;
import qdrantbackup.store.Names;

/**
 * {@code POST /backup[?collection=x]} (routes/management.camel.yaml): starts a backup run in the
 * background and answers at once. Same no-overlap rule as the schedule: 409 while a run is going.
 */
public final class OnDemand {
    private static final Logger LOG = LoggerFactory.getLogger(OnDemand.class);

    private final CamelContext camel;
    private final Backup backup;

    private ProducerTemplate producer;

    private final Leadership leadership;

    public OnDemand(CamelContext camel, Backup backup, Leadership leadership) {
        this.camel = camel;
        this.backup = backup;
        this.leadership = leadership;
    }

    public synchronized Answer backup(String collection) {
        String only = collection == null || collection.isBlank() ? null : collection;
        if (only != null && Names.collectionProblem(only) != null) {
            return new Answer(400, false, only, "collection name refused: " + Names.collectionProblem(only));
        }
        if (!leadership.isLeader()) {
            // runs only where the schedules run: two instances never write one archive at once
            String leader = leadership.leader().orElse(null);
            Answer a = new Answer(
                    409,
                    false,
                    only,
                    "this instance (" + leadership.memberId() + ") is a follower and runs no backups: POST /backup to"
                            + " the leader" + (leader == null ? " (not known yet)" : " " + leader));
            a.leader = leader;
            return a;
        }
        // claimed here, before answering: a 202 means this request's run is the one that runs
        qdrantbackup.backup.BackupRun claimed = backup.claim("http");
        if (claimed == null) {
            qdrantbackup.backup.BackupRun going = backup.current();
            String why = backup.scheduledWaiting()
                    ? "a scheduled backup run waits for the current one and runs next"
                    : "a backup run is already going"
                            + (going == null
                                    ? ""
                                    : " (" + going.getTrigger() + ", started " + going.getStarted() + ")");
            return new Answer(409, false, only, why + "; try again later");
        }
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put("trigger", "http");
        headers.put("collection", only);
        LOG.info("backup run requested over HTTP ({})", only == null ? "all collections" : only);
        try {
            producer.asyncRequestBodyAndHeaders("direct:backup", claimed, headers);
        } catch (RuntimeException e) {
            backup.release(claimed);
            throw e;
        }
        return new Answer(
                202,
                true,
                only,
                "backup run started" + (only == null ? " for all collections" : " for " + only)
                        + "; see /observe/metrics or GET /backups");
    }

    /** The JSON answer; {@code httpStatus} sets the response code. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Answer {
        private final int httpStatus;
        private final boolean started;
        private final String collection;
        private final String message;
        private String leader;

        Answer(int httpStatus, boolean started, String collection, String message) {
            this.httpStatus = httpStatus;
            this.started = started;
            this.collection = collection;
            this.message = message;
        }

        @JsonIgnore
        public int getHttpStatus() {
            return httpStatus;
        }

        public boolean isStarted() {
            return started;
        }

        public String getCollection() {
            return collection;
        }

        public String getMessage() {
            return message;
        }

        /** On a follower: the member that runs backups. */
        public String getLeader() {
            return leader;
        }
    }
}
