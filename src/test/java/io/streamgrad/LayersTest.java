package io.streamgrad;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layers of DESIGN §1 keep their direction: nn ← learn ← stream ← app. */
class LayersTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.streamgrad");

  @Test
  void shouldKeepTheMathFreeOfKafkaIoAndEveryOtherLayer() {
    // ShapedKernels reads one file: the class bytes of its own template, from the class path.
    noClasses().that().resideInAPackage("io.streamgrad.nn..")
        .and().doNotHaveSimpleName("ShapedKernels")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..",
            "com.fasterxml..", "java.io..", "java.nio.file..", "io.streamgrad.learn..", "io.streamgrad.stream..",
            "io.streamgrad.app..")
        .check(CLASSES);
    noClasses().that().haveSimpleName("ShapedKernels")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..",
            "com.fasterxml..", "java.nio.file..", "io.streamgrad.learn..", "io.streamgrad.stream..",
            "io.streamgrad.app..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheLearnerFreeOfKafkaAndTheLayersAbove() {
    noClasses().that().resideInAPackage("io.streamgrad.learn..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.streamgrad.stream..",
            "io.streamgrad.app..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheTopologyFreeOfTheApp() {
    noClasses().that().resideInAPackage("io.streamgrad.stream..")
        .should().dependOnClassesThat().resideInAPackage("io.streamgrad.app..")
        .check(CLASSES);
  }
}
