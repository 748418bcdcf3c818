package ai.vtc.optim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class WeightDecayRuleTest {

    private static final Shape MATRIX = new Shape(768, 768);
    private static final Shape VECTOR = new Shape(768);

    @Test
    void standardRuleExcludesBiasesNormsAndVectors() {
        WeightDecayRule rule = WeightDecayRule.standard();
        assertTrue(rule.decays("language_model.model.encoder.layers.0.self_attn.k_proj.weight", MATRIX));
        assertTrue(rule.decays("image_projection", MATRIX));
        assertTrue(rule.decays("language_model.model.shared.weight", new Shape(51289, 768)));
        assertFalse(rule.decays("language_model.model.encoder.layers.0.self_attn.k_proj.bias", VECTOR));
        assertFalse(rule.decays("language_model.model.encoder.layers.0.self_attn_layer_norm.weight", VECTOR));
        assertFalse(rule.decays("language_model.model.encoder.layernorm_embedding.weight", VECTOR));
        assertFalse(rule.decays("vision_tower.blocks.0.0.spatial_block.window_attn.norm.weight", VECTOR));
        assertFalse(rule.decays("vision_tower.convs.0.norm.weight", VECTOR));
        assertFalse(rule.decays("language_model.model.encoder.visual_pooling.weight", new Shape(4)), "1-D");
        // The name alone excludes norms even when they are stored with more dimensions.
        assertFalse(rule.decays("some.final_norm.weight", new Shape(1, 768)));
        assertFalse(rule.decays("some.LayerNorm.weight", new Shape(1, 768)));
    }

    @Test
    void otherRulesAndComposition() {
        assertTrue(WeightDecayRule.all().decays("x.bias", VECTOR));
        assertFalse(WeightDecayRule.none().decays("x.weight", MATRIX));
        WeightDecayRule rule = WeightDecayRule.standard().excludingNamesContaining("embed");
        assertFalse(rule.decays("image_pos_embed.row_embeddings.weight", MATRIX));
        assertTrue(rule.decays("fc1.weight", MATRIX));
    }
}
