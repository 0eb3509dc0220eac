package qdrantbackup.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import qdrantbackup.ha.Leadership;

/**
 * With ha.cluster set: always ready (a follower is a healthy standby), and says whether this instance leads
 * and who does. Not bound with ha.cluster=none.
 */
public final class Role extends AbstractHealthCheck {
    private final Leadership leadership;

    public Role(Leadership leadership) {
        super("qdrant-backup", "role");
        this.leadership = leadership;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean leads = leadership.isLeader();
        String leader = leadership.leader().orElse("not known yet");
        builder.detail("member", leadership.memberId())
                .detail("role", leads ? "leader" : "follower")
                .detail("leader", leader)
                .message(
                        leads
                                ? "leader: the schedules and the restore inbox run here"
                                : "follower: the leader is " + leader + "; this one takes over if it goes")
                .up();
    }
}
