"""Rename table between transformers' CLIPModel parameter names and lmforge's (model/clip.py).

Each tower's blocks are lmforge `Block`s, so one per-layer table serves both; `{i}` stands
for a layer index. Every rule copies the tensor (CLIP stores plain nn.Linear weights).
"""

# a block's sublayers: transformers' CLIPEncoderLayer name -> lmforge Block name
LAYER = {
    "self_attn.q_proj": "attn.q_proj", "self_attn.k_proj": "attn.k_proj",
    "self_attn.v_proj": "attn.v_proj", "self_attn.out_proj": "attn.o_proj",
    "layer_norm1": "attn_norm", "mlp.fc1": "mlp.up_proj", "mlp.fc2": "mlp.down_proj",
    "layer_norm2": "mlp_norm",
}
TOWERS = {"text_model": "text", "vision_model": "vision"}

CLIP = {
    "text_model.embeddings.token_embedding.weight": "text.tokens.weight",
    "text_model.embeddings.position_embedding.weight": "text.positions.weight",
    "text_model.final_layer_norm.weight": "text.encoder.norm.weight",
    "text_model.final_layer_norm.bias": "text.encoder.norm.bias",
    "vision_model.embeddings.class_embedding": "vision.class_embedding",
    "vision_model.embeddings.patch_embedding.weight": "vision.patch_embedding.weight",
    "vision_model.embeddings.position_embedding.weight": "vision.positions.weight",
    # transformers spells it "pre_layrnorm"
    "vision_model.pre_layrnorm.weight": "vision.pre_norm.weight",
    "vision_model.pre_layrnorm.bias": "vision.pre_norm.bias",
    "vision_model.post_layernorm.weight": "vision.encoder.norm.weight",
    "vision_model.post_layernorm.bias": "vision.encoder.norm.bias",
    "text_projection.weight": "text_projection.weight",
    "visual_projection.weight": "visual_projection.weight",
    "logit_scale": "logit_scale",
    **{f"{hf_tower}.encoder.layers.{{i}}.{hf}.{w}": f"{tower}.encoder.layers.{{i}}.{ours}.{w}"
       for hf_tower, tower in TOWERS.items() for hf, ours in LAYER.items()
       for w in ("weight", "bias")},
}

# buffers older checkpoints saved (arange position ids): nothing to load
IGNORED_SUFFIXES = ("embeddings.position_ids",)
