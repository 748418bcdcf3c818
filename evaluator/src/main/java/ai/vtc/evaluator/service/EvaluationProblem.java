package ai.vtc.evaluator.service;

/** The predictions cannot be evaluated; the message says why, naming the file and ids. */
public class EvaluationProblem extends RuntimeException {
    public EvaluationProblem(String message) {
        super(message);
    }
}
