package io.rivulet.kafka;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM the kill tests start (and SIGKILL): this JVM's class path and module flags. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param main the class whose {@code main} the child runs
     * @param args its arguments
     * @return {@code java} with this JVM's {@code --add-*}/Chronicle flags, a small serial-GC heap, C1 only
     *     (the child is short-lived), this class path, {@code main} and {@code args}
     */
    static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle") || argument.startsWith("--sun-misc")
                || argument.startsWith("--enable-native-access")) {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }
}
