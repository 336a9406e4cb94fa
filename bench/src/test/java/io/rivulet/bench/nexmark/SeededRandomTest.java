package io.rivulet.bench.nexmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeededRandomTest {
    private static final int[] BOUNDS = {
        1, 2, 3, 5, 13, 26, 64, 100, 1_000, 10_000, 1 << 20, 1_000_000_007, Integer.MAX_VALUE};

    @Test
    void matchesJavaUtilRandomDrawForDraw() {
        final SeededRandom mine = new SeededRandom();
        for (long seed = -50; seed < 5_000; seed++) {
            final long s = seed * 0x9E3779B97F4A7C15L;
            final Random jdk = new Random(s);
            mine.setSeed(s);
            for (int i = 0; i < 40; i++) {
                switch (i % 4) {
                    case 0 -> assertThat(mine.nextInt()).isEqualTo(jdk.nextInt());
                    case 1 -> {
                        final int bound = BOUNDS[(int) ((seed + i) & 0x7fffffff) % BOUNDS.length];
                        assertThat(mine.nextInt(bound)).isEqualTo(jdk.nextInt(bound));
                    }
                    case 2 -> assertThat(mine.nextLong()).isEqualTo(jdk.nextLong());
                    default -> assertThat(mine.nextDouble()).isEqualTo(jdk.nextDouble());
                }
            }
        }
    }

    @Test
    void reseedingRestartsTheSequence() {
        final SeededRandom random = new SeededRandom(42);
        final long first = random.nextLong();
        random.nextInt(7);
        random.setSeed(42);
        assertThat(random.nextLong()).isEqualTo(first);
        assertThatThrownBy(() -> random.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
