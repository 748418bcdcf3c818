package ai.vtc.florence2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * {@code text_config} of a Florence-2 {@code config.json}: the BART-style encoder-decoder and its generation defaults.
 * Missing keys take the defaults of Microsoft's {@code Florence2LanguageConfig}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Florence2TextConfig(
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("d_model") Integer dModel,
        @JsonProperty("encoder_layers") Integer encoderLayers,
        @JsonProperty("decoder_layers") Integer decoderLayers,
        @JsonProperty("encoder_attention_heads") Integer encoderAttentionHeads,
        @JsonProperty("decoder_attention_heads") Integer decoderAttentionHeads,
        @JsonProperty("encoder_ffn_dim") Integer encoderFfnDim,
        @JsonProperty("decoder_ffn_dim") Integer decoderFfnDim,
        @JsonProperty("max_position_embeddings") Integer maxPositionEmbeddings,
        @JsonProperty("activation_function") String activationFunction,
        @JsonProperty("scale_embedding") Boolean scaleEmbedding,
        @JsonProperty("init_std") Double initStd,
        @JsonProperty("bos_token_id") Integer bosTokenId,
        @JsonProperty("pad_token_id") Integer padTokenId,
        @JsonProperty("eos_token_id") Integer eosTokenId,
        @JsonProperty("decoder_start_token_id") Integer decoderStartTokenId,
        @JsonProperty("forced_bos_token_id") Integer forcedBosTokenId,
        @JsonProperty("forced_eos_token_id") Integer forcedEosTokenId,
        @JsonProperty("num_beams") Integer numBeams,
        @JsonProperty("no_repeat_ngram_size") Integer noRepeatNgramSize,
        @JsonProperty("early_stopping") Boolean earlyStopping,
        @JsonProperty("length_penalty") Double lengthPenalty,
        @JsonProperty("max_length") Integer maxLength) {

    public Florence2TextConfig {
        vocabSize = Objects.requireNonNullElse(vocabSize, 51289);
        dModel = Objects.requireNonNullElse(dModel, 1024);
        encoderLayers = Objects.requireNonNullElse(encoderLayers, 12);
        decoderLayers = Objects.requireNonNullElse(decoderLayers, 12);
        encoderAttentionHeads = Objects.requireNonNullElse(encoderAttentionHeads, 16);
        decoderAttentionHeads = Objects.requireNonNullElse(decoderAttentionHeads, 16);
        encoderFfnDim = Objects.requireNonNullElse(encoderFfnDim, 4096);
        decoderFfnDim = Objects.requireNonNullElse(decoderFfnDim, 4096);
        maxPositionEmbeddings = Objects.requireNonNullElse(maxPositionEmbeddings, 1024);
        activationFunction = Objects.requireNonNullElse(activationFunction, "gelu");
        scaleEmbedding = Objects.requireNonNullElse(scaleEmbedding, false);
        initStd = Objects.requireNonNullElse(initStd, 0.02);
        bosTokenId = Objects.requireNonNullElse(bosTokenId, 0);
        padTokenId = Objects.requireNonNullElse(padTokenId, 1);
        eosTokenId = Objects.requireNonNullElse(eosTokenId, 2);
        decoderStartTokenId = Objects.requireNonNullElse(decoderStartTokenId, 2);
        forcedEosTokenId = Objects.requireNonNullElse(forcedEosTokenId, 2);
        numBeams = Objects.requireNonNullElse(numBeams, 1);
        noRepeatNgramSize = Objects.requireNonNullElse(noRepeatNgramSize, 0);
        earlyStopping = Objects.requireNonNullElse(earlyStopping, false);
        lengthPenalty = Objects.requireNonNullElse(lengthPenalty, 1.0);
        maxLength = Objects.requireNonNullElse(maxLength, 20);
    }
}
