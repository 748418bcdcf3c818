package ai.vtc.vqa;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small hand-made VQA data for tests. */
final class Fixtures {
    private Fixtures() {}

    static VqaAnnotation annotation(long questionId, String questionType, String answerType, String... answers) {
        List<VqaAnswer> list = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            list.add(new VqaAnswer(answers[i], "yes", i + 1));
        }
        return new VqaAnnotation(questionId, questionId / 1000, questionType, answerType, answers[0], list);
    }

    static VqaAnnotations annotations(VqaAnnotation... annotations) {
        return VqaAnnotations.of(VqaHeader.of("val2014", "test").withTaskTypeRemoved(), List.of(annotations));
    }

    static VqaResults results(Object... idAndAnswer) {
        VqaResults.Builder b = VqaResults.builder();
        for (int i = 0; i < idAndAnswer.length; i += 2) {
            b.add(((Number) idAndAnswer[i]).longValue(), (String) idAndAnswer[i + 1]);
        }
        return b.build();
    }

    static String[] tenTimes(String answer) {
        String[] a = new String[10];
        java.util.Arrays.fill(a, answer);
        return a;
    }

    static VqaAnnotations readAnnotations(String json) throws IOException {
        return VqaAnnotations.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    static VqaResults readResults(String json) throws IOException {
        return VqaResults.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "results.json");
    }
}
