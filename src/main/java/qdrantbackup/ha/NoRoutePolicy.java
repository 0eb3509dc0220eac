package qdrantbackup.ha;

import org.apache.camel.support.RoutePolicySupport;

/** The routes' {@code routePolicy: leaderOnly} with ha.cluster=none: the routes run as they are. */
public final class NoRoutePolicy extends RoutePolicySupport {}
