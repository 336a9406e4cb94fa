package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingSinkTest {
    /** What a wrapper exists to change: records are converted per writer, so a subclass makes its writers. */
    private static final String OWN_BY_DESIGN = "createWriter";

    /** The methods a forwarding sink must hand to the wrapped sink: every one of Sink and OutputModeAware. */
    private static List<Method> forwarded() {
        return Stream.concat(Arrays.stream(Sink.class.getMethods()), Arrays.stream(OutputModeAware.class.getMethods()))
            .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.getName().equals(OWN_BY_DESIGN))
            .toList();
    }

    @Test
    void shouldDeclareEveryMethodOfSinkSoThatANewOneCannotBeDroppedByAWrapper() {
        for (Method m : forwarded()) {
            assertThat(Arrays.stream(ForwardingSink.class.getDeclaredMethods())
                .anyMatch(d -> d.getName().equals(m.getName()) && Arrays.equals(d.getParameterTypes(), m.getParameterTypes())))
                .as("ForwardingSink forwards %s%s", m.getName(), Arrays.toString(m.getParameterTypes()))
                .isTrue();
        }
    }

    @Test
    void shouldHandEveryCallToTheWrappedSinkWithItsOwnArgumentsAndReturnItsAnswer() throws Exception {
        List<String> seen = new ArrayList<>();
        Class<?>[] types = {Sink.class, OutputModeAware.class};
        @SuppressWarnings("unchecked")
        Sink<String> wrapped = (Sink<String>) Proxy.newProxyInstance(getClass().getClassLoader(), types, (proxy, m, args) -> {
            seen.add(call(m, args));
            return answer(m.getReturnType());
        });
        ForwardingSink<String, String> sink = new ForwardingSink<>(wrapped) {
            @Override
            public SinkWriter<String> createWriter(int writerIndex) {
                return delegate.createWriter(writerIndex);
            }
        };
        for (Method m : forwarded()) {
            Object[] args = Arrays.stream(m.getParameterTypes()).map(ForwardingSinkTest::argument).toArray();
            seen.clear();
            Object returned = m.invoke(sink, args);
            assertThat(seen).as("calls reaching the wrapped sink for %s", m).containsExactly(call(m, args));
            assertThat(returned).isEqualTo(answer(m.getReturnType()));
        }
    }

    private static String call(Method m, Object[] args) {
        return m.getName() + Arrays.toString(args == null ? new Object[0] : args);
    }

    /** A value unlike any default, so that a call answered by a default method instead is caught. */
    private static Object answer(Class<?> type) {
        if (type == String.class) {
            return "wrapped";
        }
        if (type == boolean.class) {
            return Boolean.TRUE;
        }
        if (type == Delivery.class) {
            return Delivery.values()[Delivery.values().length - 1];
        }
        return null;
    }

    private static Object argument(Class<?> type) {
        if (type == String.class) {
            return "query-a";
        }
        if (type == int.class) {
            return 7;
        }
        if (type == long.class) {
            return 42L;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == OutputMode.class) {
            return OutputMode.UPDATE;
        }
        throw new AssertionError("no sample argument of " + type + ": extend the test");
    }
}
