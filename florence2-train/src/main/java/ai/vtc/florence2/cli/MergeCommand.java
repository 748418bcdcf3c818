package ai.vtc.florence2.cli;

import ai.vtc.florence2.Florence2Pipeline;
import ai.vtc.florence2.lora.LoraAdapters;
import ai.vtc.florence2.lora.PeftAdapterFolder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code florence2 merge --model DIR --adapter DIR --out DIR}: folds a PEFT LoRA adapter folder into the model's
 * weights (W + s B A) and writes a plain Hugging Face model folder, which every other command and Python's {@code
 * from_pretrained} load without PEFT.
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = "Merge a LoRA adapter folder (PEFT format) into a model and write the merged model folder.")
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "the base model folder")
    Path model;

    @Option(names = "--adapter", required = true, description = "adapter folder: adapter_config.json, .safetensors")
    Path adapter;

    @Option(names = "--out", required = true, description = "where to write the merged model folder")
    Path out;

    @Override
    public Integer call() {
        VqaInputs.requireModel(model);
        try (Florence2Pipeline pipeline = Florence2Pipeline.load(model);
                LoraAdapters lora = PeftAdapterFolder.load(adapter, pipeline.model())) {
            lora.merge();
            pipeline.save(out);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "merged %d adapted layers (r %d, scale %.4g) into %s%n",
                            lora.modules().size(),
                            lora.config().rank(),
                            lora.config().scaling(),
                            out);
        }
        return 0;
    }
}
