package ai.vtc.florence2.cli;

import ai.vtc.contracts.DatasetTask;
import picocli.CommandLine.ITypeConverter;

/** {@code --task vqa|docvqa}, spelt as in sweeps ({@link DatasetTask#id()}). */
final class TaskConverter implements ITypeConverter<DatasetTask> {
    @Override
    public DatasetTask convert(String value) {
        return DatasetTask.fromId(value);
    }
}
