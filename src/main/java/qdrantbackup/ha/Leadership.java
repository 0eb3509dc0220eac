package qdrantbackup.ha;

import java.util.Optional;

/** Whether this instance leads (runs the schedules and the inbox), and who does. */
public interface Leadership {
    /** ha.cluster=none: this instance is the only one and always leads. */
    Leadership ALONE = new Leadership() {
        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public Optional<String> leader() {
            return Optional.empty();
        }

        @Override
        public String memberId() {
            return "";
        }

        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public void whenLeading(Runnable task) {
            task.run();
        }
    };

    boolean isLeader();

    /** The leading member's id when known (this one's when it leads). */
    Optional<String> leader();

    String memberId();

    /** False for ha.cluster=none. */
    boolean clustered();

    /** Runs {@code task} once, when this instance leads (at once if it does, or without a cluster). */
    void whenLeading(Runnable task);
}
