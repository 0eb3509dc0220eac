package qdrantbackup.reload;

import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import qdrantbackup.config.Settings;

/** Watches the routes folder when {@code routes.reload} is on (the default). */
public final class RouteReload implements CamelConfiguration {
    private final Path routes;

    public RouteReload(Path routes) {
        this.routes = routes;
    }

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings settings = camel.getRegistry().lookupByNameAndType("settings", Settings.class);
        if ((settings != null ? settings : Settings.of(camel)).bool("routes.reload")) {
            camel.addService(new SafeRouteReload(routes), true, true);
        }
    }
}
