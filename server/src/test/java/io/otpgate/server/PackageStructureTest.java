package io.otpgate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's two rooms: the JSON API and the pages a person sees share the request plumbing of
 * {@code io.otpgate.server} but not each other, and only {@link HttpServer} knows both.
 */
class PackageStructureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.otpgate.server");

    @Test
    void theApiAndThePagesDoNotDependOnEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.otpgate.server.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.otpgate.server.pages..")
                .check(SERVER);
        noClasses()
                .that()
                .resideInAPackage("io.otpgate.server.pages..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.otpgate.server.api..")
                .check(SERVER);
    }

    @Test
    void onlyTheWiringKnowsTheRooms() {
        noClasses()
                .that()
                .resideInAPackage("io.otpgate.server")
                .and()
                .haveNameNotMatching("io\\.otpgate\\.server\\.HttpServer(\\$.*)?")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.otpgate.server.api..", "io.otpgate.server.pages..")
                .check(SERVER);
    }
}
