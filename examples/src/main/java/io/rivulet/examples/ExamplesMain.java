package io.rivulet.examples;

import io.rivulet.engine.internal.terminal.ProgressLine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * What {@code bin/example} (and so {@code bin/demo}) runs: an example by name, with the live progress
 * line on standard error (see {@code docs/metrics.md}): rewritten in place on a terminal, a plain line
 * every few seconds otherwise, none with {@code -Drivulet.progress=off}. Standard output is what the
 * example prints, unchanged. An example's own {@code main} run directly shows no progress line.
 */
public final class ExamplesMain {
    private ExamplesMain() {
    }

    /**
     * @param args the example's name ({@code TradingDemo}, or {@code TradingDemoMain}), then its arguments
     * @throws Exception whatever the example's {@code main} throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ExamplesMain <Name> [args...]   (the io.rivulet.examples.<Name>Main classes)");
            System.exit(2);
        }
        String name = args[0].endsWith("Main") ? args[0] : args[0] + "Main";
        Method main;
        try {
            main = Class.forName(ExamplesMain.class.getPackageName() + "." + name).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            System.err.println("no example named '" + args[0] + "': expected a class " + ExamplesMain.class.getPackageName()
                + "." + name + " with a main method");
            System.exit(2);
            return;
        }
        ProgressLine progress = ProgressLine.toStandardError();
        // The examples' console sinks take System.out when built: wrap it before, so a table printed while the
        // line is shown starts on a line of its own.
        System.setOut(progress.interleaving(System.out));
        Run.showProgress(progress);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
