package ai.vtc.contracts;

import java.util.List;
import java.util.stream.Collectors;

/** A sweep spec with problems; carries all of them, in document order. */
public class InvalidSweepException extends RuntimeException {
    private final List<SpecProblem> problems;

    public InvalidSweepException(List<SpecProblem> problems) {
        super(problems.size() + " problem(s) in the sweep spec: "
                + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public InvalidSweepException(String path, String message) {
        this(List.of(new SpecProblem(path, message)));
    }

    public List<SpecProblem> problems() {
        return problems;
    }
}
