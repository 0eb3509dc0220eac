package qdrantbackup.ha;

import org.apache.camel.CamelContext;
import qdrantbackup.config.Settings;

/**
 * Sets up ha.cluster: binds the route policy {@code leaderOnly} that the schedule and inbox routes name, and
 * returns who leads. With {@code none} the policy does nothing and no cluster class is loaded (see {@link Election}).
 */
public final class Cluster {
    /** The election's name: the lock file in ha.file.root, the ZooKeeper node under the base path. */
    public static final String NAMESPACE = "qdrant-backup";
    /** The bean the routes name in {@code routePolicy}. */
    public static final String POLICY = "leaderOnly";

    private Cluster() {}

    public static Leadership install(CamelContext camel, Settings settings) {
        String kind = settings.string("ha.cluster");
        if (kind.equals("none")) {
            camel.getRegistry().bind(POLICY, new NoRoutePolicy());
            return Leadership.ALONE;
        }
        return Election.install(camel, settings, kind);
    }
}
