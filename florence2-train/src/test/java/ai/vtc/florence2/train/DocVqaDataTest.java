package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.vqa.docvqa.DocVqaFile;
import ai.vtc.vqa.docvqa.DocVqaQuestion;
import ai.vtc.vqa.synth.SyntheticDocVqa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A DocVQA-layout split read as training and evaluation examples; a missing document is an error naming it. */
class DocVqaDataTest {
    @TempDir
    Path dir;

    @Test
    void everyQuestionBecomesAnExampleOnItsDocumentWithTheFirstAnswer() throws Exception {
        Path data = dir.resolve("docs");
        SyntheticDocVqa.generate(
                data,
                SyntheticDocVqa.Options.defaults()
                        .withSeed(1)
                        .withDocuments(3, 2)
                        .withImageSize(64));
        VqaData train = DocVqaData.load(data, "train", dir.resolve("staging"));
        DocVqaFile file = DocVqaFile.read(data.resolve("train/train_v1.0.json"));
        List<Example> examples = train.examples(train.subset(data, null), true);
        assertEquals(file.size(), examples.size());
        for (int i = 0; i < examples.size(); i++) {
            DocVqaQuestion q = file.data().get(i);
            Example e = examples.get(i);
            assertEquals(q.questionId(), e.questionId());
            assertEquals(q.question(), e.question());
            assertEquals(q.answers().get(0), e.answer());
            assertTrue(Files.isSameFile(data.resolve("train").resolve(q.image()), e.image()), e.image() + "");
        }
    }

    @Test
    void aMissingDocumentIsNamedWithItsQuestion() throws Exception {
        Path data = dir.resolve("docs");
        SyntheticDocVqa.generate(
                data,
                SyntheticDocVqa.Options.defaults()
                        .withSeed(1)
                        .withDocuments(1, 1)
                        .withImageSize(64));
        DocVqaQuestion first =
                DocVqaFile.read(data.resolve("val/val_v1.0.json")).data().get(0);
        Files.delete(data.resolve("val").resolve(first.image()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> DocVqaData.load(data, "val", dir.resolve("staging")));
        assertTrue(
                e.getMessage().contains("questionId " + first.questionId() + ": image '" + first.image() + "'"),
                e.getMessage());
    }
}
