package ai.vtc.dataset.service;

import java.util.List;

/**
 * Where one split's files are in a source (relative paths).
 *
 * @param name the split's name in the dataset ({@code val} for {@code val2014})
 * @param questionsFile the questions JSON
 * @param annotationsFile the annotations JSON
 * @param imageFolders the folders its images may be in, the first one that has files is used
 */
public record SplitFiles(String name, String questionsFile, String annotationsFile, List<String> imageFolders) {}
