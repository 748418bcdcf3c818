package ai.vtc.florence2.bench;

import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.generate.GenerationSettings;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * 1,000 generate calls on the tiny demo model (random weights, 3 beams, 8 new tokens), printing the resident set
 * size before and after: native memory must stay flat. Run with a fixed Java heap ({@code JAVA_OPTS="-Xms256m
 * -Xmx256m"}) so that heap growth does not blur the native numbers. Arguments: [calls] [threads] [beams].
 */
public final class GenerateMemoryBenchmark {

    private GenerateMemoryBenchmark() {}

    public static void main(String[] args) {
        int calls = BenchSupport.intArg(args, 0, 1000);
        int threads = BenchSupport.intArg(args, 1, 2);
        int beams = BenchSupport.intArg(args, 2, 3);
        BenchSupport.configure(threads);
        BufferedImage image = new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillOval(40, 30, 80, 80);
        g.dispose();
        try (Florence2Pipeline pipeline = Florence2Pipeline.createTinyDemo(0)) {
            GenerationSettings settings =
                    GenerationSettings.fromConfig(pipeline.model().config(), 8).withNumBeams(beams);
            String prompt = "<VQA>what color is the circle?";
            for (int i = 0; i < 100; i++) {
                pipeline.generate(image, prompt, settings); // warm-up: JIT, allocator pools, Java heap pages
            }
            System.gc();
            double before = BenchSupport.rssMiB();
            long start = System.nanoTime();
            String answer = "";
            for (int i = 1; i <= calls; i++) {
                answer = pipeline.generate(image, prompt, settings);
                if (i % (calls / 10 == 0 ? 1 : calls / 10) == 0) {
                    System.out.printf(
                            "call %5d  RSS %.1f MiB  (Java heap committed %.1f MiB)%n",
                            i, BenchSupport.rssMiB(), Runtime.getRuntime().totalMemory() / 1048576.0);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            double after = BenchSupport.rssMiB();
            System.out.printf(
                    "%d generate calls (%d beams, 8 new tokens): %.2f ms per call; RSS before %.1f MiB, after %.1f"
                            + " MiB, growth %.1f MiB; last answer \"%s\"%n",
                    calls, beams, seconds * 1000 / calls, before, after, after - before, answer);
        }
    }
}
