package qdrantbackup.reload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's route watcher, made safe for operators: an edit of a file in routes/ replaces that file's
 * routes; an edit that cannot be applied (bad YAML, unknown step, unknown endpoint) is logged as one
 * ERROR with its cause and the file's previous routes are put back, so the routes running before the
 * edit keep running. Camel alone leaves the file's routes removed when the new ones fail to start.
 */
public final class SafeRouteReload extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReload.class);
    static final String PATTERN = "*.camel.yaml";

    private final Path folder;
    /** The last content of each file whose routes run now, by file URI. */
    private final Map<URI, String> running = new ConcurrentHashMap<>();
    /** The last content that could not be applied, so one bad edit is reported once. */
    private final Map<URI, String> refused = new ConcurrentHashMap<>();

    public SafeRouteReload(Path folder) {
        super(folder.toAbsolutePath().toString(), false);
        this.folder = folder.toAbsolutePath();
        setPattern(PATTERN);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".camel.yaml"))
                    .toList()) {
                running.put(f.toUri(), Files.readString(f));
            }
        }
        super.doStart();
        LOG.info("route files in {} are reloaded when edited (routes.reload)", folder);
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        for (Resource resource : resources) {
            reload(resource);
        }
    }

    private void reload(Resource resource) {
        URI uri = resource.getURI();
        String name = Path.of(uri).getFileName().toString();
        String content;
        try {
            content = Files.exists(Path.of(uri)) ? Files.readString(Path.of(uri)) : null;
        } catch (IOException e) {
            LOG.error(
                    "routes/{}: cannot read the edited file, the routes from before keep running: {}",
                    name,
                    e.getMessage());
            return;
        }
        if (content != null && content.isBlank()) {
            return; // being written (editors truncate first); the next event brings the content
        }
        if (content != null && (content.equals(running.get(uri)) || content.equals(refused.get(uri)))) {
            return; // nothing changed since the last reload, or the same refused edit
        }
        try {
            super.onRouteReload(List.of(resource), false);
            if (content == null) {
                running.remove(uri);
            } else {
                running.put(uri, content);
            }
            LOG.info("routes/{}: reloaded", name);
        } catch (RuntimeException e) {
            restore(resource, name);
            LOG.error(
                    "routes/{}: the edit was not applied, the routes from before it keep running: {}", name, cause(e));
            if (content != null) {
                refused.put(uri, content);
            }
        }
    }

    private void restore(Resource edited, String name) {
        String previous = running.get(edited.getURI());
        if (previous == null) {
            return;
        }
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(List.of(new Previous(edited, previous)));
        } catch (Exception e) {
            LOG.error(
                    "routes/{}: the routes from before the edit could not be put back either; fix the file: {}",
                    name,
                    cause(e));
        }
    }

    /** The messages down the cause chain, on one line (YAML errors carry the line and column). */
    static String cause(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && sb.indexOf(m.strip()) < 0) {
                sb.append(sb.length() == 0 ? "" : " / ").append(m.strip());
            }
        }
        return sb.toString().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The file's content as it was when its routes last loaded, under the file's own location. */
    private static final class Previous extends ResourceSupport {
        private final Resource edited;
        private final byte[] content;

        Previous(Resource edited, String content) {
            super(edited.getScheme(), edited.getLocation());
            this.edited = edited;
            this.content = content.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public URI getURI() {
            return edited.getURI();
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(content);
        }
    }
}
