package ai.vtc.cli;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.TrialIds;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.MajorityBaseline;
import ai.vtc.vqa.VqaAnnotations;
import ai.vtc.vqa.synth.SyntheticVqa;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the demo sweep needs before it can run: its dataset and subset (made by the dataset service), the
 * majority-answer baseline on its evaluation split, and its model under {@code models/} (the tiny Florence-2, created
 * and pretrained here by the {@code vqa} library and the {@code florence2} command when no folder exists).
 */
final class DemoInputs {
    /**
     * The body of {@code POST /datasets/synthetic} that makes the dataset {@code name} with the generator's options
     * (the dataset service renders the images itself; the pretraining set is made here with the same options).
     */
    static Map<String, Object> syntheticRequest(String name, SyntheticVqa.Options data) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("seed", data.seed());
        request.put("train_images", data.trainImages());
        request.put("val_images", data.valImages());
        request.put("questions_per_image", data.questionsPerImage());
        request.put("image_size", data.imageSize());
        request.put(
                "families", data.families().stream().map(Enum::name).sorted().toList());
        request.put("max_objects", data.maxObjects());
        request.put("shapes", data.shapes());
        request.put("colours", data.colours());
        request.put("annotator_noise", data.annotatorNoise());
        request.put("region_splits", data.regionSplits());
        request.put("image_format", data.imageFormat());
        return request;
    }

    /**
     * Pretraining of the tiny model on a synthetic set of its own (the dataset's sizes, another seed), in phases:
     * each {@code "STEPS [florence2 train options]"} continues from the model of the previous one.
     */
    record PretrainSettings(List<String> phases, SyntheticVqa.Options data) {
        /** The recipe in words, stored next to the model (demo-pretraining.txt). */
        String describe() {
            StringBuilder b = new StringBuilder("pretraining set: synthetic " + data.describe() + "\n");
            for (int i = 0; i < phases.size(); i++) {
                b.append("phase ")
                        .append(i + 1)
                        .append(": ")
                        .append(phases.get(i).trim())
                        .append('\n');
            }
            return b.toString();
        }
    }

    /** Written next to a model the demo pretrained: how it was made. */
    static final String PRETRAINING_FILE = "demo-pretraining.txt";

    /** The first 12 hex digits of the SHA-256 of {@code text}. */
    static String fingerprint(String text) {
        return TrialIds.sha256Hex(text).substring(0, 12);
    }

    record Baseline(double overall, double perQuestionType) {}

    private static final Pattern PERCENT = Pattern.compile("(\\d+)pct");
    private static final Pattern COUNT = Pattern.compile("n(\\d+)");

    private final DemoStack stack;
    private final ObjectStore store;
    private final Path repo;
    private final Path work;
    private final PrintWriter out;
    private final SchedulerClient datasets;

    /** {@code token}: the API token, which the dataset service takes for its changes as the scheduler does. */
    DemoInputs(DemoStack stack, Path repo, Path work, PrintWriter out, String token) {
        this.stack = stack;
        this.store = stack.store();
        this.repo = repo;
        this.work = work;
        this.out = out;
        this.datasets = new SchedulerClient(stack.serviceUrl("dataset-service"), token, "the dataset service");
    }

    /** Creates the synthetic dataset when it does not exist, then the subset (the service answers 200 if it exists). */
    void ensureDataset(String name, String subset, SyntheticVqa.Options data) throws InterruptedException {
        Optional<JsonNode> existing = find("/datasets/" + name);
        if (existing.isPresent()) {
            String source = existing.get().path("manifest").path("source").asText();
            String wanted = "synthetic " + data.describe();
            if (source.startsWith("synthetic ") && !source.equals(wanted)) {
                throw new UserError("dataset " + name + " exists with other settings (" + source + "); this demo asks"
                        + " for " + wanted + ". Name another dataset in the sweep file, or start from an empty stack"
                        + " (./sweep down; rm -rf .stack)");
            }
            say("dataset " + name + " exists");
        } else {
            JsonNode job = datasets.postJson("/datasets/synthetic", Json.write(syntheticRequest(name, data)));
            awaitJob(job.path("id").asText());
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", subset);
        request.put("size", subsetSize(subset));
        JsonNode made = datasets.postJson("/datasets/" + name + "/subsets", Json.write(request));
        say("subset " + subset + ": " + made.path("questions").path("train").asInt() + " train and "
                + made.path("questions").path("val").asInt() + " val questions");
    }

    /**
     * The subset's size from its name: {@code all} (the whole splits), {@code <n>pct} or {@code n<count>}, so that the
     * demo can make the subset a sweep names.
     */
    static String subsetSize(String subset) {
        if (subset.equals("all")) {
            return "100%";
        }
        Matcher percent = PERCENT.matcher(subset);
        if (percent.matches()) {
            return percent.group(1) + "%";
        }
        Matcher count = COUNT.matcher(subset);
        if (count.matches()) {
            return count.group(1);
        }
        throw new IllegalArgumentException("the demo makes subsets named all, <n>pct or n<count>, not '" + subset
                + "': make it with POST /datasets/<name>/subsets first");
    }

    /** Always answering the most frequent training answer (overall and per question type), on the subset's split. */
    Baseline majorityBaseline(String dataset, String subset, String split) {
        JsonNode manifest = datasets.get("/datasets/" + dataset + "/subsets/" + subset);
        VqaAnnotations train = restricted(
                annotations(dataset, "train"), manifest.path("question_ids").path("train"));
        VqaAnnotations target = restricted(
                annotations(dataset, split), manifest.path("question_ids").path(split));
        return new Baseline(
                MajorityBaseline.evaluate(train, target, MajorityBaseline.Scope.OVERALL)
                        .overall(),
                MajorityBaseline.evaluate(train, target, MajorityBaseline.Scope.PER_QUESTION_TYPE)
                        .overall());
    }

    /**
     * Uploads {@code models/<name>/} when it is missing: from {@code <work>/models/<name>/} when a previous demo made
     * it, else made now: {@code florence2 create} (the tiny config) and {@code florence2 train} without compression
     * on a synthetic set of its own, so that the sweep's trials start from a model that already answers.
     */
    void ensureModel(String name, PretrainSettings pretrain) throws IOException, InterruptedException {
        String recipe = pretrain.describe();
        String recipeKey = Keys.model(name) + PRETRAINING_FILE;
        if (store.exists(Keys.model(name) + "config.json")) {
            if (store.exists(recipeKey)) {
                checkSameRecipe(name, new String(store.get(recipeKey), StandardCharsets.UTF_8), recipe);
            }
            say("model " + name + " exists in s3://" + store.bucket() + "/" + Keys.model(name));
            return;
        }
        Path local = work.resolve("models").resolve(name);
        if (!Files.isRegularFile(local.resolve("model.safetensors"))) {
            pretrain(local, pretrain);
            Files.writeString(local.resolve(PRETRAINING_FILE), recipe);
        } else if (Files.isRegularFile(local.resolve(PRETRAINING_FILE))) {
            checkSameRecipe(name, Files.readString(local.resolve(PRETRAINING_FILE)), recipe);
        }
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                store.putFile(Keys.model(name) + f.getFileName(), f);
            }
        }
        say("model " + name + " uploaded to s3://" + store.bucket() + "/" + Keys.model(name));
    }

    /** A model made by an earlier demo with another recipe is not silently reused for this one. */
    private static void checkSameRecipe(String name, String stored, String wanted) {
        if (!stored.strip().equals(wanted.strip())) {
            throw new UserError("model " + name + " was pretrained with other settings:\n" + stored.strip()
                    + "\nthis demo asks for:\n" + wanted.strip() + "\nName another model in the sweep file, or start"
                    + " from an empty stack (./sweep down; rm -rf .stack)");
        }
    }

    private void pretrain(Path target, PretrainSettings settings) throws IOException, InterruptedException {
        // one folder per data setting: another --families (or size, seed, ...) gets its own pretraining set
        Path data = work.resolve("pretrain-data")
                .resolve(fingerprint(settings.data().describe()));
        if (!Files.isRegularFile(data.resolve("done"))) {
            deleteTree(data); // an interrupted earlier run
            SyntheticVqa.Options d = settings.data();
            say("writing the pretraining set (synthetic VQA, " + d.trainImages() + " images, seed " + d.seed() + ") to "
                    + data);
            SyntheticVqa.generate(data, d);
            Files.writeString(data.resolve("done"), "");
        }
        Path base = work.resolve("tiny-base");
        florence2(
                "create",
                "--out",
                base.toString(),
                "--seed",
                "0",
                "--image-size",
                Integer.toString(settings.data().imageSize()));
        Path model = base;
        for (int i = 0; i < settings.phases().size(); i++) {
            List<String> words = Arrays.asList(settings.phases().get(i).trim().split("\\s+"));
            if (!words.get(0).matches("\\d+")) {
                throw new IllegalArgumentException("a pretraining phase starts with its steps, e.g. '300 --lr 5e-4',"
                        + " not '" + settings.phases().get(i) + "'");
            }
            Path run = work.resolve("pretrain-run-" + (i + 1));
            deleteTree(run);
            List<String> train = new ArrayList<>(
                    List.of("train", "--model", model.toString(), "--data", data.toString(), "--steps", words.get(0)));
            train.addAll(words.subList(1, words.size()));
            train.addAll(List.of("--out", run.toString()));
            say("pretraining the tiny Florence-2 without compression, phase " + (i + 1) + " of "
                    + settings.phases().size() + ": " + String.join(" ", words) + " steps (progress below)");
            florence2(train.toArray(String[]::new));
            model = run.resolve("model");
            if (!Files.isRegularFile(model.resolve("model.safetensors"))) {
                throw new IllegalStateException("florence2 train left no model in " + model);
            }
        }
        Path trained = model;
        Files.createDirectories(target.getParent());
        Files.move(trained, target);
    }

    /** Runs the florence2 command line of this repository, its output passed through. */
    private void florence2(String... args) throws IOException, InterruptedException {
        Path jar = repo.resolve("florence2-train/target/florence2.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests install");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        out.flush();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE"); // idle OpenMP threads sleep, not spin
        Process process = builder.start();
        int code = process.waitFor();
        if (code != 0) {
            throw new IllegalStateException("florence2 " + args[0] + " failed (exit " + code + "): " + command);
        }
    }

    private void awaitJob(String id) throws InterruptedException {
        String last = "";
        while (true) {
            JsonNode job = datasets.get("/datasets/jobs/" + id + "?wait=5");
            String state = job.path("state").asText();
            String line = String.format(
                    Locale.ROOT,
                    "dataset job %s: %s %s %d/%d",
                    id,
                    state,
                    job.path("phase").asText(),
                    job.path("done").asLong(),
                    job.path("total").asLong());
            if (!line.equals(last)) {
                say(line);
                last = line;
            }
            if (state.equals("succeeded")) {
                return;
            }
            if (state.equals("failed")) {
                throw new IllegalStateException(
                        "the dataset job failed: " + job.path("message").asText());
            }
            Thread.sleep(500);
        }
    }

    private Optional<JsonNode> find(String path) {
        try {
            return Optional.of(datasets.get(path));
        } catch (SchedulerClient.ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private VqaAnnotations annotations(String dataset, String split) {
        try (InputStream in = store.open(Keys.annotations(dataset, split))) {
            return VqaAnnotations.read(in, Keys.annotations(dataset, split));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VqaAnnotations restricted(VqaAnnotations all, JsonNode ids) {
        Set<Long> keep = new HashSet<>();
        ids.forEach(id -> keep.add(id.asLong()));
        return VqaAnnotations.of(
                all.header(),
                all.asList().stream().filter(a -> keep.contains(a.questionId())).toList());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private void say(String line) {
        out.println("  " + line);
        out.flush();
    }
}
