package io.rivulet.engine.runtime;

import io.rivulet.operators.Operator;
import io.rivulet.operators.stateless.FilterOperator;
import io.rivulet.operators.stateless.MapOperator;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.util.function.Function;
import java.util.function.Predicate;

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

    /** A shape no other test uses. */
    private static final class Unused {
    }
}
