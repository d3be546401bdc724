package io.otpgate.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Core's packages form a layered graph: each can be read, and changed, knowing only the packages
 * below it. A cycle (verification needing delivery needing verification) would make two packages
 * one in all but name.
 */
class PackageStructureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.otpgate.core");

    @Test
    void corePackagesDependOnEachOtherWithoutCycles() {
        slices().matching("io.otpgate.core.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
