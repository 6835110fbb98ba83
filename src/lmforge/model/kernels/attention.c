/* attention.c: paged decode attention (softmax(q K^T * scale) V read from a paged KV pool),
   RoPE for a prefill, and RMSNorm.

   Readable Python reference: lmforge.model.attention.Attention.explicit_attention
   (paged_attention_decode), the pure-torch branch of lmforge.model.positions.apply_rope
   (rope: x * cos + roll(x, D/2) * signed_sin), and the torch branch of
   lmforge.model.norm.RMSNorm.forward (rms_norm). */

#include "simd.h"

/* Decode attention straight from a paged KV pool: one query a sequence, its keys and values
   read in place through its slot list (no gathered copy), softmax(q K^T * scale) V per query
   head, the query heads of a group sharing their key/value head (GQA).
     q        (n_seq, n_head, D)         out  (n_seq, n_head, D)
     keys     (slots, n_kv, D) fp32, fp16 or bf16 (kv_half: KV_*), values the same; slot s
              of sequence i is key_slots[i * S + s]
     lengths  (n_seq,) keys each sequence sees (its first `lengths[i]` slots)
   Work is split over (sequence, key/value head) pairs; each key and value row is read once
   for all the query heads of its group. */

/* A cached key or value row as floats: an fp32 row in place, an fp16 one (a half-size cache)
   widened into `buf`. */
typedef struct { const void *base; int half; } kv_rows;  /* half: one of KV_* */

static inline float bf16_float(uint16_t h) {
    union { uint32_t u; float f; } v = {(uint32_t)h << 16};
    return v.f;
}
static const float *kv_floats(kv_rows t, int64_t index, int64_t D, float *buf) {
    if (t.half == KV_F32) return (const float *)t.base + index * D;
    const uint16_t *h = (const uint16_t *)t.base + index * D;
    int64_t d = 0;
    if (t.half == KV_BF16) {
        for (; d + 16 <= D; d += 16) v_store(buf + d, v_load_bf16(h + d));
        for (; d < D; d++) buf[d] = bf16_float(h[d]);
    } else {
        for (; d + 16 <= D; d += 16) v_store(buf + d, v_load_half(h + d));
        for (; d < D; d++) buf[d] = _cvtsh_ss(h[d]);
    }
    return buf;
}

static void add_scaled(float *out, const float *v, float p, int64_t D) {  /* out += p v */
    const vec16 ps = v_splat(p);
    int64_t d = 0;
    for (; d + 16 <= D; d += 16) v_store(out + d, v_fma(ps, v_load(v + d), v_load(out + d)));
    for (; d < D; d++) out[d] += p * v[d];
}

int paged_attention_decode(const float *q, const void *keys, const void *values, int kv_half,
                           const int64_t *key_slots, const int64_t *lengths, int64_t n_seq,
                           int64_t S, int64_t n_head, int64_t n_kv, int64_t D, float scale,
                           float *out) {
    const int64_t group = n_head / n_kv;
    const kv_rows K = {keys, kv_half}, V = {values, kv_half};
    int failed = 0;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t task = 0; task < n_seq * n_kv; task++) {
        const int64_t i = task / n_kv, g = task % n_kv, len = lengths[i];
        const int64_t *slots = key_slots + i * S;
        const float *qg = q + (i * n_head + g * group) * D;  /* the group's query heads */
        float *og = out + (i * n_head + g * group) * D;
        float *scores = malloc(sizeof(float) * (group * len + D));  /* (group, len), a row */
        if (!scores) { failed = 1; continue; }
        float *row = scores + group * len;
        for (int64_t s = 0; s < len; s++) {  /* each key read (and widened) once a group */
            const float *k = kv_floats(K, slots[s] * n_kv + g, D, row);
            for (int64_t h = 0; h < group; h++) scores[h * len + s] = scale * dot(qg + h * D, k, D);
        }
        for (int64_t h = 0; h < group; h++) {  /* softmax over each head's scores */
            float *p = scores + h * len, max = -INFINITY, sum = 0.0f;
            for (int64_t s = 0; s < len; s++) max = p[s] > max ? p[s] : max;
            for (int64_t s = 0; s < len; s++) sum += (p[s] = expf(p[s] - max));
            for (int64_t s = 0; s < len; s++) p[s] /= sum;
        }
        for (int64_t j = 0; j < group * D; j++) og[j] = 0.0f;
        for (int64_t s = 0; s < len; s++) {  /* each value read once a group */
            const float *v = kv_floats(V, slots[s] * n_kv + g, D, row);
            for (int64_t h = 0; h < group; h++) add_scaled(og + h * D, v, scores[h * len + s], D);
        }
        free(scores);
    }
    return failed;
}

/* RoPE for a prefill in one pass (PyTorch's x * cos + roll(x, D/2) * signed_sin is four ops
   and three temporaries): x (B, H, T, D) read through its strides sb, sh, st (elements; its
   last dim contiguous), out (B, H, T, D) contiguous, cos / signed_sin (B or 1, T, D)
   contiguous (cos_b: their batch stride, 0 when shared). Rounded as PyTorch rounds it: two
   products, then their sum. */
int rope(const float *x, int64_t B, int64_t H, int64_t T, int64_t D, int64_t sb, int64_t sh,
         int64_t st, const float *cos, const float *signed_sin, int64_t cos_b, float *out) {
    const int64_t half = D / 2;
#pragma omp parallel for schedule(static) if (B * H * T * D > 65536)
    for (int64_t row = 0; row < B * H * T; row++) {
        const int64_t b = row / (H * T), h = row / T % H, t = row % T;
        const float *xr = x + b * sb + h * sh + t * st, *c = cos + b * cos_b + t * D;
        const float *sn = signed_sin + b * cos_b + t * D;
        float *o = out + row * D;
        for (int64_t i = 0; i < D; i++) {
            const float rolled = xr[i < half ? i + half : i - half];
            o[i] = xr[i] * c[i] + rolled * sn[i];
        }
    }
    return 0;
}

/* RMSNorm of M rows of width C: y = (x / sqrt(mean(x^2) + eps)) * w, in one pass per row
   (PyTorch's CPU rms_norm runs as five or six ops, ~60 us a call at decode sizes). */
int rms_norm(const float *x, const float *w, int64_t M, int64_t C, float eps, float *y) {
#pragma omp parallel for schedule(static) if (M > 16)
    for (int64_t m = 0; m < M; m++) {
        const float *xm = x + m * C;
        float *ym = y + m * C;
        const float r = 1.0f / sqrtf(dot(xm, xm, C) / (float)C + eps);
        for (int64_t c = 0; c < C; c++) ym[c] = (xm[c] * r) * w[c];
    }
    return 0;
}
