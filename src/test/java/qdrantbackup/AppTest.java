package qdrantbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import qdrantbackup.command.CommandLine;

/** The command line and the dispatch to a command; nothing here starts Camel. */
class AppTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int dispatch(String... args) throws Exception {
        return App.dispatch(
                CommandLine.parse(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownCommandIsExitTwoWithTheUsage() throws Exception {
        assertThat(dispatch("bakcup-now")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("unknown command 'bakcup-now'\nusage: java -jar qdrant-backup.jar [command] [options]\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void helpPrintsTheUsageBuiltFromEachCommandsDeclaration() throws Exception {
        assertThat(dispatch("expire", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                usage: java -jar qdrant-backup.jar [command] [options]
                  run                     run the daemon (default): scheduled backups, restore inbox
                  backup-now [collection] back up every collection (or one) now, then exit (0 = all ok)
                  expire [--dry-run]      apply the retention policy now (dry run: print the plan only)
                  check                   start as the daemon would (settings, routes, bucket), ask Qdrant, stop
                  list [collection] [--json]  every backup: time, size, sha256, where, kept by retention
                  restore [COLLECTION] [--snapshot latest|NAME] [--target NAME] [--replace]  restore a backup now as the inbox does (0 = healthy, 5 = refused)
                  verify [collection] [--all]  read back the bucket's due backups, check each SHA-256 (0 = all ok)
                  drill [collection]      restore each collection's newest backup into a scratch collection and check it (0 = all proven)
                options:
                  --config FILE           settings file (default application.properties)
                  --routes DIR            routes folder (default routes)
                """);
        assertThat(dispatch("-h")).isZero();
    }

    @Test
    void parsesTheCommandItsArgumentItsFlagsAndThePaths() {
        CommandLine line = CommandLine.parse("list", "--config", "/etc/qb.properties", "users", "--json");
        assertThat(line.command()).isEqualTo("list");
        assertThat(line.argument()).isEqualTo("users");
        assertThat(line.has("--json")).isTrue();
        assertThat(line.has("--dry-run")).isFalse();
        assertThat(line.config()).isEqualTo(Path.of("/etc/qb.properties"));
        assertThat(line.routes()).isEqualTo(Path.of("routes"));
    }

    @Test
    void aValuedFlagTakesTheNextWord() {
        CommandLine line =
                CommandLine.parse("restore", "users", "--snapshot", "s1.snapshot", "--target=u2", "--replace");
        assertThat(line.argument()).isEqualTo("users");
        assertThat(line.value("--snapshot")).isEqualTo("s1.snapshot");
        assertThat(line.value("--target")).isEqualTo("u2");
        assertThat(line.has("--replace")).isTrue();
    }

    @Test
    void noCommandIsTheDaemon() {
        CommandLine line = CommandLine.parse("--routes", "/opt/routes");
        assertThat(line.command()).isEqualTo("run");
        assertThat(line.argument()).isNull();
        assertThat(line.routes()).isEqualTo(Path.of("/opt/routes"));
        assertThat(App.find(line.command())).isPresent();
    }

    @Test
    void aMissingSettingsFileIsExitThreeInOneLine() throws Exception {
        assertThat(dispatch("check", "--config", "no-such.properties")).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("qdrant-backup cannot start: settings file ")
                .contains("no-such.properties is not readable")
                .hasLineCount(1);
    }
}
