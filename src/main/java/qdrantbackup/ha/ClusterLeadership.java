package qdrantbackup.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qdrantbackup.transfer.SafeFiles;

/**
 * Follows the election of one cluster view (the same one the routes' {@code leaderOnly} policy uses) and logs
 * each change. Camel's file lock tells a follower nothing about the holder, so with a shared folder the leader
 * also writes its id beside the lock ({@code memberFile}).
 */
final class ClusterLeadership extends ServiceSupport implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeadership.class);

    private final CamelClusterService service;
    private final String namespace;
    private final String memberId;
    private final Path memberFile;
    private volatile CamelClusterView view;
    private final List<Runnable> onLead = new CopyOnWriteArrayList<>();

    ClusterLeadership(CamelClusterService service, String namespace, String memberId, Path memberFile) {
        this.service = service;
        this.namespace = namespace;
        this.memberId = memberId;
        this.memberFile = memberFile;
    }

    @Override
    protected void doStart() throws Exception {
        LOG.info(
                "high availability: member {} of cluster {} ({}); the schedules and the restore inbox run on the"
                        + " leader only",
                memberId,
                namespace,
                service.getClass().getSimpleName());
        view = service.getView(namespace);
        view.addEventListener((CamelClusterEventListener.Leadership) this::changed);
    }

    private void changed(CamelClusterView v, CamelClusterMember leader) {
        if (isLeader()) {
            writeMemberFile();
            LOG.info("member {} now leads: the schedules and the restore inbox run here", memberId);
            runOnLead();
        } else {
            LOG.info("member {} follows (leader: {})", memberId, leader().orElse("not known yet"));
        }
    }

    @Override
    public boolean isLeader() {
        CamelClusterView v = view;
        return v != null && v.getLocalMember().isLeader();
    }

    @Override
    public Optional<String> leader() {
        if (isLeader()) {
            return Optional.of(memberId);
        }
        CamelClusterView v = view;
        Optional<String> elected = v == null
                ? Optional.empty()
                : v.getLeader()
                        .filter(m -> !m.isLocal())
                        .map(CamelClusterMember::getId)
                        .filter(id -> !id.isBlank());
        return elected.isPresent() ? elected : readMemberFile();
    }

    @Override
    public void whenLeading(Runnable task) {
        onLead.add(task);
        if (isLeader()) {
            runOnLead();
        }
    }

    private void runOnLead() {
        for (Runnable task : onLead) {
            if (onLead.remove(task)) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a task on taking the lead failed: {}", e.getMessage());
                }
            }
        }
    }

    @Override
    public String memberId() {
        return memberId;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    private void writeMemberFile() {
        if (memberFile == null) {
            return;
        }
        Path part = memberFile.resolveSibling(memberFile.getFileName() + "." + memberId + SafeFiles.PART);
        try {
            Files.writeString(part, memberId + "\n", StandardCharsets.UTF_8);
            SafeFiles.commit(part, memberFile);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "cannot write the leader's id to {} (followers then do not name it): {}",
                    memberFile,
                    e.getMessage());
        }
    }

    private Optional<String> readMemberFile() {
        if (memberFile == null || !Files.isRegularFile(memberFile)) {
            return Optional.empty();
        }
        try {
            String id = Files.readString(memberFile, StandardCharsets.UTF_8).strip();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    protected void doStop() {
        view = null;
    }
}
