package ai.vtc.contracts;

/**
 * One problem found in a sweep spec.
 *
 * @param path where it is, in the notation of the YAML ({@code grid.factor[1]}, {@code dataset.subset}); empty for
 *     the document as a whole
 * @param message what is wrong, for a researcher to read
 */
public record SpecProblem(String path, String message) {
    @Override
    public String toString() {
        return (path.isEmpty() ? "(document)" : path) + ": " + message;
    }
}
