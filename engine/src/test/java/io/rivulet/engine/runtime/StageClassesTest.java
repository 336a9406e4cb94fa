package io.rivulet.engine.runtime;

import io.rivulet.operators.Operator;
import io.rivulet.operators.stateless.FilterOperator;
import io.rivulet.operators.stateless.MapOperator;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.ref.WeakReference;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stage clones are distinct hidden classes with their template's behaviour, one per shape of stage,
 * and are not held once nothing uses them. These tests run with clones on (the default).
 */
class StageClassesTest {
    private final TaskContext context = new TaskContext(Fixtures.unstartedQuery(), "rivulet-test-source-0", new NoOpIdleStrategy());

    @Test
    void shouldRunAFusedStageOnHiddenClonesThatBehaveLikeTheirTemplates() {
        assertThat(StageClasses.ENABLED).isTrue();
        RecordingLink<String> out = new RecordingLink<>();
        Link<String> map = OperatorLink.create(new MapOperator<String, String>(String::toUpperCase), out, "map", context);
        Link<String> filter = OperatorLink.create(new FilterOperator<String>(s -> !s.startsWith("x")), map, "filter", context);

        for (String record : new String[] {"a", "xb", "c"}) {
            filter.emit(record);
        }
        filter.onWatermark(7);
        filter.onEpoch(1);
        filter.onEnd(true);

        assertThat(out.take()).containsExactly("r:A", "r:C", "wm:7", "epoch:1", "end");
        assertThat(filter.getClass()).isNotEqualTo(OperatorLink.class);
        assertThat(filter.getClass().isHidden()).isTrue();
        assertThat(filter.getClass().getSuperclass()).isEqualTo(Link.class);
        assertThat(map.getClass()).isNotEqualTo(filter.getClass());
    }

    @Test
    void shouldCloneTheStatelessOperatorWithTheSameUserFunction() {
        Function<String, String> upper = String::toUpperCase;
        Operator<String, String> clone = StageClasses.statelessClone(new MapOperator<>(upper), RecordingLink.class);
        RecordingLink<String> out = new RecordingLink<>();

        clone.process("a", out);

        assertThat(out.take()).containsExactly("r:A");
        assertThat(clone.getClass()).isNotEqualTo(MapOperator.class);
        assertThat(clone.getClass().isHidden()).isTrue();
    }

    @Test
    void shouldFailOnANullMapResultInTheCloneAsInTheTemplate() {
        Operator<String, String> clone = StageClasses.statelessClone(new MapOperator<String, String>(s -> null),
            RecordingLink.class);

        assertThatThrownBy(() -> clone.process("a", new RecordingLink<>()))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("map function returned null for record a");
    }

    @Test
    void shouldShareOneCloneBetweenStagesOfOneShapeAndNotBetweenShapes() {
        Predicate<String> keep = s -> true;
        Class<?> first = StageClasses.statelessClone(new FilterOperator<>(keep), RecordingLink.class).getClass();
        Class<?> same = StageClasses.statelessClone(new FilterOperator<>(keep), RecordingLink.class).getClass();
        Class<?> otherNext = StageClasses.statelessClone(new FilterOperator<>(keep), OperatorLink.class).getClass();
        Predicate<String> drop = s -> false;
        Class<?> otherFunction = StageClasses.statelessClone(new FilterOperator<>(drop), RecordingLink.class).getClass();

        assertThat(same).isSameAs(first);
        assertThat(otherNext).isNotSameAs(first);
        assertThat(otherFunction).isNotSameAs(first).isNotSameAs(otherNext);
    }

    @Test
    void shouldLeaveOtherOperatorsAsTheyAre() {
        Operator<String, String> custom = (record, out) -> out.emit(record);

        assertThat(StageClasses.statelessClone(custom, RecordingLink.class)).isSameAs(custom);
    }

    @Test
    void shouldNotHoldACloneThatNothingUses() {
        WeakReference<Class<?>> clone = new WeakReference<>(
            StageClasses.cloneOf(RecordingLink.class, MethodHandles.lookup(), Unused.class));
        // Explicit collections are what unloads classes; a bounded number of them, no sleeping.
        for (int i = 0; i < 20 && clone.get() != null; i++) {
            System.gc();
        }

        assertThat(clone.get()).as("a clone nothing refers to is collected").isNull();
    }

    @Test
    void shouldGiveACloneItsShapesExactClassesToCastToAndTheTemplateItsDeclaredTypes() throws Exception {
        RecordingLink<String> out = new RecordingLink<>();
        Link<String> map = OperatorLink.create(new MapOperator<String, String>(String::trim), out, "map", context);

        Object operator = field(map.getClass(), "operator").get(map);
        assertThat(field(map.getClass(), "OPERATOR").get(null)).isEqualTo(operator.getClass());
        assertThat(field(map.getClass(), "NEXT").get(null)).isEqualTo(RecordingLink.class);
        assertThat(OperatorLink.OPERATOR).isEqualTo(Operator.class);
        assertThat(OperatorLink.NEXT).isEqualTo(Link.class);
        assertThat(StageClasses.target(MethodHandles.lookup(), 1, Link.class)).as("not a clone").isEqualTo(Link.class);
    }

    @Test
    void shouldEmitASourcesRecordsIntoTheChainHeadThroughACloneOfTheEmitter() {
        RecordingLink<String> head = new RecordingLink<>();
        SourceEmitter<String> emitter = SourceEmitter.create(null, head, context);

        emitter.emit("a");
        emitter.emit("b", 42L);

        assertThat(head.take()).containsExactly("r:a", "r:b");
        assertThat(emitter.recordsRead).isEqualTo(2);
        assertThat(context.ingestNs).isEqualTo(42L);
        assertThat(emitter.getClass().isHidden()).isTrue();
        assertThat(emitter.getClass()).isSameAs(SourceEmitter.create(null, new RecordingLink<String>(), context).getClass());
        assertThatThrownBy(() -> emitter.emit(null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("source reader emitted null in " + context.name);
    }

    @Test
    void shouldAddTheInlineDirectiveForTheChainsPerRecordMethodsToTheJvm() throws Exception {
        StageClasses.cloneOf(RecordingLink.class, MethodHandles.lookup(), String.class);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();

        String stack = String.valueOf(server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
            "compilerDirectivesPrint", new Object[] {new String[0]}, new String[] {String[].class.getName()}));

        assertThat(InlineDirectives.installOnce()).as("once per JVM").isFalse();
        assertThat(stack).contains("+io/rivulet/engine/runtime/OperatorLink*.emit",
            "+io/rivulet/engine/runtime/SourceEmitter*.emit", "+io/rivulet/operators/stateless/MapOperator*.process",
            "+io/rivulet/engine/runtime/KeyedHead*.onRecord");
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** A shape no other test uses. */
    private static final class Unused {
    }
}
