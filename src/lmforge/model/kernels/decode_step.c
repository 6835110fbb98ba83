/* decode_step.c: decode_layers, a decode step (one new token a sequence) through a whole
   stack of pre-norm Llama-style blocks in one call, with the structs it reads (qlinear,
   layer_weights: fused_decode.py's QLinear, LayerWeights).

   Readable Python reference: lmforge.model.block.Block.forward (pre-norm, with
   lmforge.model.attention.Attention and the SwiGLU MLP), run for each block of the stack;
   lmforge.model.fused_decode.decode_stack builds the arguments. */

#include "simd.h"

/* A decode step (one new token a sequence) through a stack of pre-norm Llama-style blocks in
   one call, instead of ~40 PyTorch ops and module calls a layer:
       h = h + o(attention(rope(q), rope(k), v))   q, k, v = qkv(rms_norm(h))
       h = h + down(silu(gate) * up)               gate, up = gate_up(rms_norm(h))
   Each step is one of the functions of quant_matmul.c and attention.c (each shares its work
   among the threads) or a helper below, in the same order and with the same roundings as
   the Python path. h (n, C) is updated in place; keys/values of the n new tokens go to
   slot_mapping; cos/signed_sin (n, D) per token. */
typedef struct {
    int64_t bits, N, K, group;  /* bits 32: fp32 weights in `codes`, no scales */
    const void *codes;
    const void *scales, *mins;
    int64_t int8_rows;  /* up to this many rows, int8 activations (q4/q8_matmul_q8) */
    int64_t half;       /* scales and mins in fp16 */
} qlinear;

static int qlinear_apply(const qlinear *l, const float *x, int64_t M, float *y) {
    if (l->bits == 32) return f32_matmul(x, M, l->K, l->codes, l->N, y);
    if (l->bits == 16) return bf16_matmul(x, M, l->K, l->codes, l->N, y);
    const int int8 = M <= l->int8_rows;
    if (l->bits == 4)
        return (int8 ? q4_matmul_q8 : q4_matmul)(x, M, l->K, l->codes, l->scales, l->mins,
                                                 l->half, l->N, l->group, y);
    return (int8 ? q8_matmul_q8 : q8_matmul)(x, M, l->K, l->codes, l->scales, l->half, l->N,
                                             l->group, y);
}

/* x (n, heads, D) rows of `stride` floats, rotated in place (channel i pairs with i + D/2) */
static void rope_inplace(float *x, int64_t n, int64_t heads, int64_t D, int64_t stride,
                         const float *cos, const float *signed_sin) {
    const int64_t half = D / 2;
    for (int64_t t = 0; t < n; t++)
        for (int64_t h = 0; h < heads; h++) {
            float *v = x + t * stride + h * D;
            const float *c = cos + t * D, *s = signed_sin + t * D;
            for (int64_t i = 0; i < half; i++) {
                const float a = v[i], b = v[i + half];
                v[i] = a * c[i] + b * s[i];
                v[i + half] = b * c[i + half] + a * s[i + half];
            }
        }
}

static inline uint16_t float_bf16(float f) {  /* to nearest even, as PyTorch (finite f) */
    union { float f; uint32_t u; } v = {f};
    return (uint16_t)((v.u + 0x7FFF + ((v.u >> 16) & 1)) >> 16);
}
static void store_kv(void *pool, int kv_half, int64_t slot, const float *src, int64_t width) {
    if (kv_half == KV_F16) {
        uint16_t *dst = (uint16_t *)pool + slot * width;
        for (int64_t i = 0; i < width; i++) dst[i] = _cvtss_sh(src[i], 0);  /* to nearest even */
    } else if (kv_half == KV_BF16) {
        uint16_t *dst = (uint16_t *)pool + slot * width;
        for (int64_t i = 0; i < width; i++) dst[i] = float_bf16(src[i]);
    } else {
        float *dst = (float *)pool + slot * width;
        for (int64_t i = 0; i < width; i++) dst[i] = src[i];
    }
}

/* One layer's weights and its part of the KV pool (fused_decode.py: LayerWeights). */
typedef struct {
    const float *attn_norm, *mlp_norm;
    qlinear qkv, o, gate_up, down;
    void *keys, *values;   /* (slots, n_kv, D) fp32, fp16 or bf16 (kv_half: KV_*) */
    float eps, scale;      /* RMSNorm's epsilon; attention's 1/sqrt(D) */
    int64_t n_head, n_kv, D;
} layer_weights;

typedef struct { float *x, *t, *y, *q, *att; } step_buffers;

static int decode_layer(float *h, int64_t n, int64_t C, const layer_weights *l,
                        const float *cos, const float *signed_sin, int kv_half,
                        const int64_t *slot_mapping, const int64_t *key_slots,
                        const int64_t *lengths, int64_t S, const step_buffers *b) {
    const int64_t qd = l->n_head * l->D, kvd = l->n_kv * l->D, W = qd + 2 * kvd;
    const int64_t I = l->gate_up.N / 2;
    float *x = b->x, *t = b->t, *y = b->y, *q = b->q, *att = b->att;
    int failed = 0;
    rms_norm(h, l->attn_norm, n, C, l->eps, x);
    failed |= qlinear_apply(&l->qkv, x, n, y);                       /* (n, W): q | k | v */
    rope_inplace(y, n, l->n_head, l->D, W, cos, signed_sin);         /* q */
    rope_inplace(y + qd, n, l->n_kv, l->D, W, cos, signed_sin);      /* k */
    for (int64_t i = 0; i < n; i++) {
        store_kv(l->keys, kv_half, slot_mapping[i], y + i * W + qd, kvd);
        store_kv(l->values, kv_half, slot_mapping[i], y + i * W + qd + kvd, kvd);
        for (int64_t j = 0; j < qd; j++) q[i * qd + j] = y[i * W + j];
    }
    failed |= paged_attention_decode(q, l->keys, l->values, kv_half, key_slots, lengths, n, S,
                                     l->n_head, l->n_kv, l->D, l->scale, att);
    failed |= qlinear_apply(&l->o, att, n, t);
    for (int64_t i = 0; i < n * C; i++) h[i] += t[i];
    rms_norm(h, l->mlp_norm, n, C, l->eps, x);
    failed |= qlinear_apply(&l->gate_up, x, n, y);                   /* (n, 2I): gate | up */
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < I; j++) {
            const float g = y[i * 2 * I + j];
            y[i * I + j] = g / (1.0f + expf(-g)) * y[i * 2 * I + I + j];  /* in place */
        }
    failed |= qlinear_apply(&l->down, y, n, t);
    for (int64_t i = 0; i < n * C; i++) h[i] += t[i];
    return failed;
}

/* The decode step of a stack of such blocks: h (n, C) updated in place, layer by layer. */
int decode_layers(float *h, int64_t n, int64_t C, const layer_weights *layers, int64_t n_layers,
                  const float *cos, const float *signed_sin, int kv_half,
                  const int64_t *slot_mapping, const int64_t *key_slots, const int64_t *lengths,
                  int64_t S) {
    int64_t widest = C, attention = 0;  /* buffer sizes: the widest layer's */
    for (int64_t i = 0; i < n_layers; i++) {
        const layer_weights *l = &layers[i];
        const int64_t W = l->qkv.N, up = l->gate_up.N;
        widest = W > widest ? W : widest;
        widest = up > widest ? up : widest;
        attention = l->n_head * l->D > attention ? l->n_head * l->D : attention;
    }
    step_buffers b = {malloc(sizeof(float) * n * C), malloc(sizeof(float) * n * C),
                      malloc(sizeof(float) * n * widest), malloc(sizeof(float) * n * attention),
                      malloc(sizeof(float) * n * attention)};
    int failed = !b.x || !b.t || !b.y || !b.q || !b.att;
    for (int64_t i = 0; i < n_layers && !failed; i++)
        failed |= decode_layer(h, n, C, &layers[i], cos, signed_sin, kv_half, slot_mapping,
                               key_slots, lengths, S, &b);
    free(b.x); free(b.t); free(b.y); free(b.q); free(b.att);
    return failed;
}
