package ai.vtc.vqa.synth;

import java.util.List;

/** A generated document: what it prints and the questions its print answers. */
record SyntheticDocument(DocumentKind kind, DocumentPage page, List<DocQa> questions) {
    SyntheticDocument {
        questions = List.copyOf(questions);
    }
}
