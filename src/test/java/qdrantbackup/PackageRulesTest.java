package qdrantbackup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph (README, "For developers"): the leaves — the Qdrant client, the stores, transfer, config —
 * use no other project package (the stores and the client may use transfer); there are no cycles; only the
 * wiring (this package) and the commands see everything, and nothing depends on them.
 */
class PackageRulesTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("qdrantbackup");
    }

    @Test
    void transferAndConfigUseNoOtherProjectPackage() {
        for (String leaf : new String[] {"transfer", "config"}) {
            noClasses()
                    .that()
                    .resideInAPackage("qdrantbackup." + leaf + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(otherThan(leaf))
                    .check(main);
        }
    }

    @Test
    void theQdrantClientUsesOnlyTransfer() {
        noClasses()
                .that()
                .resideInAPackage("qdrantbackup.qdrant..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(otherThan("qdrant", "transfer"))
                .check(main);
    }

    @Test
    void theStoresUseOnlyTransfer() {
        noClasses()
                .that()
                .resideInAPackage("qdrantbackup.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(otherThan("store", "transfer"))
                .check(main);
        noClasses()
                .that()
                .resideInAPackage("qdrantbackup.store.local..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("qdrantbackup.store.s3..")
                .check(main);
        noClasses()
                .that()
                .resideInAPackage("qdrantbackup.store.s3..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("qdrantbackup.store.local..")
                .check(main);
    }

    @Test
    void nothingDependsOnTheWiringOrTheCommands() {
        noClasses()
                .that()
                .resideOutsideOfPackages("qdrantbackup", "qdrantbackup.command..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("qdrantbackup", "qdrantbackup.command..")
                .check(main);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("qdrantbackup.(*)..").should().beFreeOfCycles().check(main);
    }

    /** The root and every top-level project package but these (as ArchUnit package patterns). */
    private static String[] otherThan(String... allowed) {
        java.util.Set<String> ok = java.util.Set.of(allowed);
        return java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("qdrantbackup"),
                        main.stream()
                                .map(c -> c.getPackageName())
                                .filter(p -> p.startsWith("qdrantbackup."))
                                .map(p -> p.substring("qdrantbackup.".length()).split("\\.")[0])
                                .distinct()
                                .filter(p -> !ok.contains(p))
                                .map(p -> "qdrantbackup." + p + ".."))
                .toArray(String[]::new);
    }
}
