package ai.vtc.vqa.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of accuracy against cost: the points that no other point beats, where a point dominates another
 * when it costs no more, is no less accurate, and is strictly better in one of the two. Ties (same cost and accuracy)
 * all stay on the front.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /** A trial's cost (lower is better) and accuracy (higher is better). */
    public record Point(String id, double cost, double accuracy) {}

    /** The points on the front, by increasing cost (then decreasing accuracy, then id). */
    public static List<Point> of(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::cost)
                .thenComparing(Comparator.comparingDouble(Point::accuracy).reversed())
                .thenComparing(Point::id));
        List<Point> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        Point last = null;
        for (Point p : sorted) {
            boolean tie = last != null && p.cost() == last.cost() && p.accuracy() == last.accuracy();
            if (p.accuracy() > best || tie) {
                front.add(p);
                best = Math.max(best, p.accuracy());
                last = p;
            }
        }
        return front;
    }

    /** True when {@code a} dominates {@code b}. */
    public static boolean dominates(Point a, Point b) {
        return a.cost() <= b.cost()
                && a.accuracy() >= b.accuracy()
                && (a.cost() < b.cost() || a.accuracy() > b.accuracy());
    }
}
