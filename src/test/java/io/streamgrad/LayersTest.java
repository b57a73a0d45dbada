package io.streamgrad;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.streamgrad.cli.Main;
import io.streamgrad.http.InternalsOutsideTheStores;
import io.streamgrad.nn.MathThatCallsTheCommandLine;
import io.streamgrad.stream.ModelStore;
import org.junit.jupiter.api.Test;

/**
 * The packages keep their jobs and their direction: nn ← learn ← records ← stream ← service ← http
 * ← cli, with bench beside cli and reached only from it.
 */
class LayersTest {
  private static final JavaClasses PRODUCT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.streamgrad");

  /** Each layer may use the layers below it, never one above. */
  static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("nn")
          .definedBy("io.streamgrad.nn..")
          .layer("learn")
          .definedBy("io.streamgrad.learn..")
          .layer("records")
          .definedBy("io.streamgrad.records..", "io.streamgrad.avro..")
          .layer("stream")
          .definedBy("io.streamgrad.stream..")
          .layer("service")
          .definedBy("io.streamgrad.service..")
          .layer("http")
          .definedBy("io.streamgrad.http..")
          .layer("bench")
          .definedBy("io.streamgrad.bench..")
          .layer("cli")
          .definedBy("io.streamgrad.cli..")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("bench")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("http")
          .mayOnlyBeAccessedByLayers("cli", "bench")
          .whereLayer("service")
          .mayOnlyBeAccessedByLayers("http", "cli", "bench")
          .whereLayer("stream")
          .mayOnlyBeAccessedByLayers("service", "http", "cli", "bench")
          .whereLayer("records")
          .mayOnlyBeAccessedByLayers("stream", "service", "http", "cli", "bench")
          .whereLayer("learn")
          .mayOnlyBeAccessedByLayers("records", "stream", "service", "http", "cli", "bench");

  /**
   * Kafka's internals change without notice between releases: only the base of the stores that must
   * hook into the commit (the model store, the pending store) and the store that rebuilds a record
   * (the waiting room) may touch them.
   */
  static final ArchRule KAFKA_INTERNALS_ONLY_IN_THE_STORES =
      noClasses()
          .that()
          .doNotHaveSimpleName("WriteBehindStore")
          .and()
          .doNotHaveSimpleName("WaitingRoom")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..internals..");

  /** Pure math: no Kafka, Avro, JSON, network or files. */
  static final ArchRule MATH_WITHOUT_IO =
      noClasses()
          .that()
          .resideInAPackage("io.streamgrad.nn..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "org.apache.avro..",
              "com.fasterxml..",
              "java.net..",
              "java.nio.file..");

  /**
   * ShapedKernels alone reads a stream: the class bytes of its own template, from the class path.
   */
  static final ArchRule MATH_WITHOUT_STREAMS =
      noClasses()
          .that()
          .resideInAPackage("io.streamgrad.nn..")
          .and()
          .doNotHaveSimpleName("ShapedKernels")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.io..");

  static final ArchRule LEARNER_AND_RECORDS_WITHOUT_KAFKA =
      noClasses()
          .that()
          .resideInAnyPackage("io.streamgrad.learn..", "io.streamgrad.records..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..");

  @Test
  void shouldPointEveryDependencyDownTheLayers() {
    LAYERS.check(PRODUCT);
  }

  @Test
  void shouldKeepKafkaInternalsInsideTheStores() {
    KAFKA_INTERNALS_ONLY_IN_THE_STORES.check(PRODUCT);
  }

  @Test
  void shouldKeepTheMathFreeOfKafkaAvroJsonAndTheNetwork() {
    MATH_WITHOUT_IO.check(PRODUCT);
    MATH_WITHOUT_STREAMS.check(PRODUCT);
  }

  @Test
  void shouldKeepTheLearnerAndTheWireFormatsFreeOfKafka() {
    LEARNER_AND_RECORDS_WITHOUT_KAFKA.check(PRODUCT);
  }

  @Test
  void shouldFailWhenALowerLayerUsesAHigherOne() {
    JavaClasses violating =
        new ClassFileImporter().importClasses(MathThatCallsTheCommandLine.class, Main.class);
    assertThrows(AssertionError.class, () -> LAYERS.check(violating));
  }

  @Test
  void shouldFailWhenAClassOutsideTheStoresImportsKafkaInternals() {
    JavaClasses violating =
        new ClassFileImporter().importClasses(InternalsOutsideTheStores.class, ModelStore.class);
    assertThrows(AssertionError.class, () -> KAFKA_INTERNALS_ONLY_IN_THE_STORES.check(violating));
  }
}
