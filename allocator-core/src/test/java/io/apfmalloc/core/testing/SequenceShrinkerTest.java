package io.apfmalloc.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequenceShrinkerTest {
    @Test
    void findsTheTwoCommandsThatFailTogether() {
        SplittableRandom random = new SplittableRandom(7);
        List<Integer> sequence = IntStream.range(0, 500).map(i -> random.nextInt(1000) + 10).boxed().toList();
        List<Integer> failing = new ArrayList<>(sequence);
        failing.add(137, 3);
        failing.add(412, 5);
        Predicate<List<Integer>> fails = commands -> commands.indexOf(3) >= 0
            && commands.indexOf(5) > commands.indexOf(3);

        SequenceShrinker<Integer> shrinker = new SequenceShrinker<>(fails, command -> List.of(), 10_000);
        assertEquals(List.of(3, 5), shrinker.shrink(failing));
        assertTrue(shrinker.runs() < 400, "ddmin should need far fewer replays than the sequence is long: "
            + shrinker.runs());
    }

    @Test
    void removesCommandsThatASimplerOneMadeUnnecessary() {
        Predicate<List<Integer>> fails = commands -> commands.contains(1)
            || commands.stream().filter(command -> command >= 50).count() >= 2;
        SequenceShrinker<Integer> shrinker = new SequenceShrinker<>(fails,
            command -> command > 1 ? List.of(1, command / 2) : List.of(), 1000);

        assertEquals(List.of(1), shrinker.shrink(List.of(60, 7, 60)));
    }

    @Test
    void simplifiesTheCommandsThatRemain() {
        Predicate<List<Integer>> fails = commands -> commands.stream().mapToInt(Integer::intValue).sum() >= 100;
        SequenceShrinker<Integer> shrinker = new SequenceShrinker<>(fails,
            command -> command > 1 ? List.of(command / 2) : List.of(), 1000);

        List<Integer> shrunk = shrinker.shrink(List.of(1, 2, 4000, 3, 1));
        assertEquals(1, shrunk.size(), shrunk::toString);
        assertTrue(shrunk.getFirst() >= 100 && shrunk.getFirst() < 200, shrunk::toString);
    }
}
