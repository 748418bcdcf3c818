package ai.vtc.vqa.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.vqa.internal.SplitMix64;
import ai.vtc.vqa.stats.ParetoFront.Point;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
    @Test
    void aHandMadeSet() {
        List<Point> points = List.of(
                new Point("none", 577, 80.0),
                new Point("avg4", 145, 78.0),
                new Point("pool2d2", 145, 79.0), // same cost, more accurate: avg4 is dominated
                new Point("random36", 37, 70.0),
                new Point("prune36", 37, 72.0),
                new Point("down192", 37, 72.0), // a tie with prune36: both stay
                new Point("prune144", 145, 76.0),
                new Point("merge144", 200, 79.0), // costs more than pool2d2 for the same accuracy
                new Point("tiny", 10, 40.0));
        assertEquals(
                List.of("tiny", "down192", "prune36", "pool2d2", "none"),
                ParetoFront.of(points).stream().map(Point::id).toList());
    }

    @Test
    void matchesTheDefinitionOnRandomSets() {
        SplitMix64 random = new SplitMix64(11);
        for (int round = 0; round < 200; round++) {
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                points.add(new Point("p" + i, random.nextInt(6), random.nextInt(6)));
            }
            List<Point> expected = points.stream()
                    .filter(p -> points.stream().noneMatch(q -> ParetoFront.dominates(q, p)))
                    .sorted(Comparator.comparing(Point::id))
                    .toList();
            List<Point> front = new ArrayList<>(ParetoFront.of(points));
            front.sort(Comparator.comparing(Point::id));
            assertEquals(expected, front);
        }
    }
}
