package dev.pictor;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependency direction is a test: adapters, providers and the store depend on the core; the core depends on none
 * of them nor on their libraries; providers, the store and the configuration never reach into an adapter.
 */
@AnalyzeClasses(packages = "dev.pictor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule core_depends_on_no_platform_http_json_or_sql_library = noClasses()
            .that().resideInAPackage("dev.pictor.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "net.dv8tion..", "org.telegram..", "okhttp3..", "com.fasterxml.jackson..", "java.sql..")
            .because("the core talks to platforms, providers and storage only through its ports");

    @ArchTest
    static final ArchRule core_depends_on_no_adapter_provider_store_or_configuration = noClasses()
            .that().resideInAPackage("dev.pictor.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.pictor.config..", "dev.pictor.cli..", "dev.pictor.provider..", "dev.pictor.store..",
                    "dev.pictor.quota..", "dev.pictor.discord..", "dev.pictor.telegram..", "dev.pictor.ops..",
                    "dev.pictor.app..")
            .because("everything else depends on the core, never the other way round");

    @ArchTest
    static final ArchRule providers_store_and_configuration_do_not_depend_on_adapters = noClasses()
            .that().resideInAnyPackage("dev.pictor.provider..", "dev.pictor.store..", "dev.pictor.config..",
                    "dev.pictor.quota..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.pictor.cli..", "dev.pictor.discord..", "dev.pictor.telegram..")
            .because("adapters are at the edge: they use providers, the store and the configuration, not the reverse");
}
