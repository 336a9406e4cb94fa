package io.rivulet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The JVM flags are written in three places (parent pom, {@link BenchFlags}, {@code bin/jvm-flags}); they must say the
 * same. Tests run with the module directory as working directory, so the parent is {@code ..}.
 */
class BenchFlagsTest
{
    private static final Path ROOT = Path.of("..");

    @Test
    void shouldEqualParentPomJvmFlags() throws IOException
    {
        final String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        final Matcher m = Pattern.compile("<rivulet\\.jvm\\.flags>(.*?)</rivulet\\.jvm\\.flags>", Pattern.DOTALL)
            .matcher(pom);
        assertThat(m.find()).as("parent pom defines rivulet.jvm.flags").isTrue();
        assertThat(BenchFlags.JVM_FLAGS).isEqualTo(m.group(1).trim().replaceAll("\\s+", " "));
    }

    @Test
    void shouldEqualLauncherFlagsFile() throws IOException
    {
        final List<String> lines = Files.readAllLines(ROOT.resolve("bin/jvm-flags"), StandardCharsets.UTF_8).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
        assertThat(lines).containsExactlyElementsOf(Arrays.asList(BenchFlags.jvmFlags()));
    }
}
