/* Weight-only quantized matmuls for a few rows of activations (decode steps): y = x W^T.

   A decode step reads every weight once and does two flops per weight, so it is bound by
   memory traffic: the loop below reads the 4- or 8-bit codes once, turns each 32-wide block
   into floats in registers (w = scale * q + min) and multiplies it into every row of x while
   the block is hot. Activations and accumulators stay fp32, so the result equals the
   reference path (dequantize, then a float matmul) up to summation order.

   A block is 32 weights = 16 lanes x 2: with AVX-512 one register holds 16 floats, with AVX2
   two do (`vec16` below hides which). Two accumulators a row of x (the block's two halves)
   keep two FMA chains in flight. Output columns are shared among the OpenMP threads, which
   are PyTorch's own (the library links the libgomp that torch has already loaded). Built with
   -march=native for the CPU at hand; a CPU with neither AVX2 nor AVX-512 gets no build
   (the caller then uses PyTorch's kernels).

   Layouts (row-major, as model/quant.py stores them):
     x      float32 (M, K)
     int4   codes uint8 (N, K/2): column 2j in the low nibble, 2j+1 in the high one;
            scales, mins float32 (N, K/group)           w = scale * q + min, q in [0, 15]
     int8   codes int8 (N, K); scales float32 (N, K/group)   w = scale * q
     y      float32 (M, N)
   K and the group size must be multiples of 32 (the caller checks). */

#include <immintrin.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

#define BLOCK 32     /* weights turned into floats at a time */
#if defined(__AVX512F__)  /* 32 registers: 2 x 8 sums, 4 weights, 2 of x */
#define ROW_TILE 8   /* rows of x multiplied with a block while it is in registers */
#define COL_TILE 2   /* output columns sharing each load of x */
#else                     /* AVX2: 16 registers, and a vec16 takes two */
#define ROW_TILE 4
#define COL_TILE 1
#endif

/* vec16: 16 floats, with the few operations the kernels need. */
#if defined(__AVX512F__)
typedef __m512 vec16;
static inline vec16 v_zero(void) { return _mm512_setzero_ps(); }
static inline vec16 v_splat(float s) { return _mm512_set1_ps(s); }
static inline vec16 v_load(const float *p) { return _mm512_loadu_ps(p); }
static inline vec16 v_fma(vec16 a, vec16 b, vec16 c) { return _mm512_fmadd_ps(a, b, c); }
static inline vec16 v_add(vec16 a, vec16 b) { return _mm512_add_ps(a, b); }
static inline vec16 v_mul(vec16 a, vec16 b) { return _mm512_mul_ps(a, b); }
static inline void v_store(float *p, vec16 a) { _mm512_storeu_ps(p, a); }
static inline vec16 v_load_half(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
static inline float v_sum(vec16 a) { return _mm512_reduce_add_ps(a); }
/* 16 bytes -> the low nibbles and the high nibbles as two vec16 */
static inline void v_nibbles(const uint8_t *p, vec16 *low, vec16 *high) {
    const __m512i q = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)p));
    *low = _mm512_cvtepi32_ps(_mm512_and_si512(q, _mm512_set1_epi32(15)));
    *high = _mm512_cvtepi32_ps(_mm512_srli_epi32(q, 4));
}
static inline vec16 v_int8(const int8_t *p) {
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)p)));
}
#elif defined(__AVX2__) && defined(__FMA__)
typedef struct { __m256 a, b; } vec16;
static inline vec16 v_zero(void) { return (vec16){_mm256_setzero_ps(), _mm256_setzero_ps()}; }
static inline vec16 v_splat(float s) { return (vec16){_mm256_set1_ps(s), _mm256_set1_ps(s)}; }
static inline vec16 v_load(const float *p) { return (vec16){_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)}; }
static inline vec16 v_fma(vec16 x, vec16 y, vec16 z) {
    return (vec16){_mm256_fmadd_ps(x.a, y.a, z.a), _mm256_fmadd_ps(x.b, y.b, z.b)};
}
static inline vec16 v_add(vec16 x, vec16 y) { return (vec16){_mm256_add_ps(x.a, y.a), _mm256_add_ps(x.b, y.b)}; }
static inline vec16 v_mul(vec16 x, vec16 y) { return (vec16){_mm256_mul_ps(x.a, y.a), _mm256_mul_ps(x.b, y.b)}; }
static inline void v_store(float *p, vec16 x) { _mm256_storeu_ps(p, x.a); _mm256_storeu_ps(p + 8, x.b); }
static inline vec16 v_load_half(const uint16_t *p) {
    return (vec16){_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)),
                   _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 8)))};
}
static inline float v_sum(vec16 x) {
    const __m256 s = _mm256_add_ps(x.a, x.b);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}
static inline __m256 bytes_to_f32(__m128i q8) { return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(q8)); }
static inline void v_nibbles(const uint8_t *p, vec16 *low, vec16 *high) {
    const __m128i q = _mm_loadu_si128((const __m128i *)p);
    const __m128i lo = _mm_and_si128(q, _mm_set1_epi8(15));
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(q, 4), _mm_set1_epi8(15));
    *low = (vec16){bytes_to_f32(lo), bytes_to_f32(_mm_srli_si128(lo, 8))};
    *high = (vec16){bytes_to_f32(hi), bytes_to_f32(_mm_srli_si128(hi, 8))};
}
static inline vec16 v_int8(const int8_t *p) {
    const __m128i q = _mm_loadu_si128((const __m128i *)p);
    return (vec16){_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)),
                   _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q, 8)))};
}
#else
#error "q_matmul.c needs AVX2+FMA or AVX-512 (the caller falls back to PyTorch's kernels)"
#endif

/* int4 codes pair columns 2j and 2j+1 in one byte; reorder x once per call so that the low
   nibbles of a block meet x's even columns (first 16) and the high nibbles the odd ones. */
static void split_even_odd(const float *x, float *out, int64_t M, int64_t K) {
    for (int64_t i = 0; i < M * K; i += BLOCK)
        for (int j = 0; j < 16; j++) {
            out[i + j] = x[i + 2 * j];
            out[i + 16 + j] = x[i + 2 * j + 1];
        }
}

/* Output columns n..n+cols-1 (cols <= COL_TILE) for rows m0..m0+rows-1 (rows <= ROW_TILE) of
   x; both are constants after inlining, so the cols x rows sums stay in registers and each
   load of x feeds `cols` FMAs. */
static inline __attribute__((always_inline)) void
q4_tile(const float *xs, int64_t m0, const int rows, int64_t K, const uint8_t *codes,
        const float *scales, const float *mins, int64_t group, float *y, int64_t N, int64_t n,
        const int cols) {
    const int64_t groups = K / group;
    vec16 acc[COL_TILE][ROW_TILE];
    for (int c = 0; c < cols; c++)
        for (int r = 0; r < rows; r++) acc[c][r] = v_zero();
    for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
        g += b * BLOCK >= (g + 1) * group;  /* the block's group (no division in the loop) */
        vec16 even[COL_TILE], odd[COL_TILE];
        for (int c = 0; c < cols; c++) {
            const vec16 s = v_splat(scales[c * groups + g]), mn = v_splat(mins[c * groups + g]);
            v_nibbles(codes + c * (K / 2) + b * 16, &even[c], &odd[c]);
            even[c] = v_fma(even[c], s, mn);  /* w = scale * q + min */
            odd[c] = v_fma(odd[c], s, mn);
        }
        for (int r = 0; r < rows; r++) {
            const float *xr = xs + (m0 + r) * K + b * BLOCK;
            const vec16 x0 = v_load(xr), x1 = v_load(xr + 16);
            for (int c = 0; c < cols; c++)
                acc[c][r] = v_fma(odd[c], x1, v_fma(even[c], x0, acc[c][r]));
        }
    }
    for (int c = 0; c < cols; c++)
        for (int r = 0; r < rows; r++) y[(m0 + r) * N + n + c] = v_sum(acc[c][r]);
}

static inline __attribute__((always_inline)) void
q8_tile(const float *x, int64_t m0, const int rows, int64_t K, const int8_t *codes,
        const float *scales, int64_t group, float *y, int64_t N, int64_t n, const int cols) {
    const int64_t groups = K / group;
    vec16 acc[COL_TILE][ROW_TILE];
    for (int c = 0; c < cols; c++)
        for (int r = 0; r < rows; r++) acc[c][r] = v_zero();
    for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
        g += b * BLOCK >= (g + 1) * group;
        vec16 w0[COL_TILE], w1[COL_TILE];
        for (int c = 0; c < cols; c++) {
            const vec16 s = v_splat(scales[c * groups + g]);
            w0[c] = v_mul(v_int8(codes + c * K + b * BLOCK), s);  /* w = scale * q */
            w1[c] = v_mul(v_int8(codes + c * K + b * BLOCK + 16), s);
        }
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (m0 + r) * K + b * BLOCK;
            const vec16 x0 = v_load(xr), x1 = v_load(xr + 16);
            for (int c = 0; c < cols; c++)
                acc[c][r] = v_fma(w1[c], x1, v_fma(w0[c], x0, acc[c][r]));
        }
    }
    for (int c = 0; c < cols; c++)
        for (int r = 0; r < rows; r++) y[(m0 + r) * N + n + c] = v_sum(acc[c][r]);
}

/* Calls `tile` with compile-time row and column counts, so each case keeps its sums in
   registers: full tiles of COL_TILE columns, and a last single column when N is odd. */
#define ROWS_CASES(tile, cols, ...)                                                   \
    switch (M - m0 < ROW_TILE ? (int)(M - m0) : ROW_TILE) {                           \
    case 1: tile(__VA_ARGS__, m0, 1, cols); break;                                     \
    case 2: tile(__VA_ARGS__, m0, 2, cols); break;                                     \
    case 3: tile(__VA_ARGS__, m0, 3, cols); break;                                     \
    case 4: tile(__VA_ARGS__, m0, 4, cols); break;                                     \
    case 5: tile(__VA_ARGS__, m0, 5 % (ROW_TILE + 1), cols); break;                    \
    case 6: tile(__VA_ARGS__, m0, 6 % (ROW_TILE + 1), cols); break;                    \
    case 7: tile(__VA_ARGS__, m0, 7 % (ROW_TILE + 1), cols); break;                    \
    default: tile(__VA_ARGS__, m0, ROW_TILE, cols); break;                             \
    }
#define FOR_TILES(tile)                                                               \
    _Pragma("omp parallel for schedule(static)")                                      \
    for (int64_t n = 0; n < N; n += COL_TILE)                                         \
        for (int64_t m0 = 0; m0 < M; m0 += ROW_TILE) {                                \
            if (n + COL_TILE <= N) { ROWS_CASES(tile, COL_TILE, n) }                  \
            else { ROWS_CASES(tile, 1, n) }                                           \
        }

#define Q4_TILE(n, m0, rows, cols) \
    q4_tile(xs, m0, rows, K, codes + (n) * (K / 2), scales + (n) * groups, \
            mins + (n) * groups, group, y, N, n, cols)
#define Q8_TILE(n, m0, rows, cols) \
    q8_tile(x, m0, rows, K, codes + (n) * K, scales + (n) * groups, group, y, N, n, cols)

int q4_matmul(const float *x, int64_t M, int64_t K, const uint8_t *codes,
              const float *scales, const float *mins, int64_t N, int64_t group, float *y) {
    float *xs = malloc(sizeof(float) * M * K);
    if (!xs) return 1;
    split_even_odd(x, xs, M, K);
    const int64_t groups = K / group;
    FOR_TILES(Q4_TILE)
    free(xs);
    return 0;
}

int q8_matmul(const float *x, int64_t M, int64_t K, const int8_t *codes,
              const float *scales, int64_t N, int64_t group, float *y) {
    const int64_t groups = K / group;
    FOR_TILES(Q8_TILE)
    return 0;
}

/* The float weights themselves, for many rows of x (a prefill): the caller multiplies them
   with a float GEMM (MKL / OpenBLAS). Written in the GEMV's column order, each 32-wide block
   as its 16 even columns then its 16 odd ones (`split_even_odd`): the caller reorders x's
   columns alike, which leaves x W^T unchanged. w = scale * q + min rounded as PyTorch rounds
   it (a product, then a sum), so the values are bit-identical to the reference path's. */
int q4_dequantize(const uint8_t *codes, const float *scales, const float *mins, int64_t N,
                  int64_t K, int64_t group, float *w) {
    const int64_t groups = K / group;
#pragma omp parallel for schedule(static)
    for (int64_t n = 0; n < N; n++)
        for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
            g += b * BLOCK >= (g + 1) * group;
            const vec16 s = v_splat(scales[n * groups + g]), mn = v_splat(mins[n * groups + g]);
            vec16 even, odd;
            v_nibbles(codes + n * (K / 2) + b * 16, &even, &odd);
            v_store(w + n * K + b * BLOCK, v_add(v_mul(even, s), mn));
            v_store(w + n * K + b * BLOCK + 16, v_add(v_mul(odd, s), mn));
        }
    return 0;
}

/* int8 weights (natural column order), w = scale * q. */
int q8_dequantize(const int8_t *codes, const float *scales, int64_t N, int64_t K,
                  int64_t group, float *w) {
    const int64_t groups = K / group;
#pragma omp parallel for schedule(static)
    for (int64_t n = 0; n < N; n++)
        for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
            g += b * BLOCK >= (g + 1) * group;
            const vec16 s = v_splat(scales[n * groups + g]);
            v_store(w + n * K + b * BLOCK, v_mul(v_int8(codes + n * K + b * BLOCK), s));
            v_store(w + n * K + b * BLOCK + 16, v_mul(v_int8(codes + n * K + b * BLOCK + 16), s));
        }
    return 0;
}

/* Decode attention straight from a paged KV pool: one query a sequence, its keys and values
   read in place through its slot list (no gathered copy), softmax(q K^T * scale) V per query
   head, the query heads of a group sharing their key/value head (GQA).
     q        (n_seq, n_head, D)         out  (n_seq, n_head, D)
     keys     (slots, n_kv, D) fp32 or fp16 (kv_half), values the same; slot s of sequence
              i is key_slots[i * S + s]
     lengths  (n_seq,) keys each sequence sees (its first `lengths[i]` slots)
   Work is split over (sequence, key/value head) pairs. */
static float dot(const float *a, const float *b, int64_t D) {
    vec16 acc = v_zero();
    int64_t d = 0;
    for (; d + 16 <= D; d += 16) acc = v_fma(v_load(a + d), v_load(b + d), acc);
    float s = v_sum(acc);
    for (; d < D; d++) s += a[d] * b[d];
    return s;
}

/* A cached key or value row: fp32, or fp16 (a half-size cache) widened to fp32 on load. */
typedef struct { const void *base; int half; } kv_rows;

static inline const void *kv_row(kv_rows t, int64_t index, int64_t D) {
    return t.half ? (const void *)((const uint16_t *)t.base + index * D)
                  : (const void *)((const float *)t.base + index * D);
}

static float dot_kv(const float *q, kv_rows t, const void *row, int64_t D) {
    if (!t.half) return dot(q, row, D);
    const uint16_t *k = row;
    vec16 acc = v_zero();
    int64_t d = 0;
    for (; d + 16 <= D; d += 16) acc = v_fma(v_load(q + d), v_load_half(k + d), acc);
    float s = v_sum(acc);
    for (; d < D; d++) s += q[d] * _cvtsh_ss(k[d]);
    return s;
}

static void add_scaled(float *out, kv_rows t, const void *row, float p, int64_t D) {
    if (!t.half) {
        const float *v = row;
        for (int64_t d = 0; d < D; d++) out[d] += p * v[d];
        return;
    }
    const uint16_t *v = row;
    for (int64_t d = 0; d < D; d++) out[d] += p * _cvtsh_ss(v[d]);
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
        float *scores = malloc(sizeof(float) * (len > 0 ? len : 1));
        if (!scores) { failed = 1; continue; }
        for (int64_t h = g * group; h < (g + 1) * group; h++) {
            const float *qh = q + (i * n_head + h) * D;
            float *o = out + (i * n_head + h) * D;
            float max = -INFINITY, sum = 0.0f;
            for (int64_t s = 0; s < len; s++) {
                const void *k = kv_row(K, key_slots[i * S + s] * n_kv + g, D);
                scores[s] = scale * dot_kv(qh, K, k, D);
                max = scores[s] > max ? scores[s] : max;
            }
            for (int64_t d = 0; d < D; d++) o[d] = 0.0f;
            for (int64_t s = 0; s < len; s++) {
                const float p = expf(scores[s] - max);
                sum += p;
                add_scaled(o, V, kv_row(V, key_slots[i * S + s] * n_kv + g, D), p, D);
            }
            for (int64_t d = 0; d < D; d++) o[d] = len > 0 ? o[d] / sum : 0.0f;
        }
        free(scores);
    }
    return failed;
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

/* One whole pre-norm Llama-style block for a decode step (one new token a sequence), so that
   a token costs one call a layer instead of ~40 PyTorch ops:
       h = h + o(attention(rope(q), rope(k), v))   q, k, v = qkv(rms_norm(h))
       h = h + down(silu(gate) * up)               gate, up = gate_up(rms_norm(h))
   Each step is one of the functions above (each shares its work among the threads), in the
   same order and with the same roundings as the Python path. h (n, C) is updated in place;
   keys/values of the n new tokens go to slot_mapping; cos/signed_sin (n, D) per token. */
typedef struct {
    int64_t bits, N, K, group;
    const void *codes;
    const float *scales, *mins;
} qlinear;

static int qlinear_apply(const qlinear *l, const float *x, int64_t M, float *y) {
    if (l->bits == 4) return q4_matmul(x, M, l->K, l->codes, l->scales, l->mins, l->N, l->group, y);
    return q8_matmul(x, M, l->K, l->codes, l->scales, l->N, l->group, y);
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

static void store_kv(void *pool, int kv_half, int64_t slot, const float *src, int64_t width) {
    if (kv_half) {
        uint16_t *dst = (uint16_t *)pool + slot * width;
        for (int64_t i = 0; i < width; i++) dst[i] = _cvtss_sh(src[i], 0);  /* to nearest even */
    } else {
        float *dst = (float *)pool + slot * width;
        for (int64_t i = 0; i < width; i++) dst[i] = src[i];
    }
}

int decode_layer(float *h, int64_t n, int64_t C, const float *attn_norm, const float *mlp_norm,
                 float eps, const qlinear *qkv, const qlinear *o, const qlinear *gate_up,
                 const qlinear *down, int64_t n_head, int64_t n_kv, int64_t D,
                 const float *cos, const float *signed_sin, void *keys, void *values,
                 int kv_half, const int64_t *slot_mapping, const int64_t *key_slots,
                 const int64_t *lengths, int64_t S, float scale) {
    const int64_t qd = n_head * D, kvd = n_kv * D, W = qd + 2 * kvd, I = gate_up->N / 2;
    float *x = malloc(sizeof(float) * n * C), *t = malloc(sizeof(float) * n * C);
    float *y = malloc(sizeof(float) * n * (W > 2 * I ? W : 2 * I));
    float *q = malloc(sizeof(float) * n * qd), *att = malloc(sizeof(float) * n * qd);
    int failed = !x || !t || !y || !q || !att;
    if (!failed) {
        rms_norm(h, attn_norm, n, C, eps, x);
        failed |= qlinear_apply(qkv, x, n, y);                    /* (n, W): q | k | v */
        rope_inplace(y, n, n_head, D, W, cos, signed_sin);        /* q */
        rope_inplace(y + qd, n, n_kv, D, W, cos, signed_sin);     /* k */
        for (int64_t i = 0; i < n; i++) {
            store_kv(keys, kv_half, slot_mapping[i], y + i * W + qd, kvd);
            store_kv(values, kv_half, slot_mapping[i], y + i * W + qd + kvd, kvd);
            for (int64_t j = 0; j < qd; j++) q[i * qd + j] = y[i * W + j];
        }
        failed |= paged_attention_decode(q, keys, values, kv_half, key_slots, lengths, n, S,
                                         n_head, n_kv, D, scale, att);
        failed |= qlinear_apply(o, att, n, t);
        for (int64_t i = 0; i < n * C; i++) h[i] += t[i];
        rms_norm(h, mlp_norm, n, C, eps, x);
        failed |= qlinear_apply(gate_up, x, n, y);                /* (n, 2I): gate | up */
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < I; j++) {
                const float g = y[i * 2 * I + j];
                y[i * I + j] = g / (1.0f + expf(-g)) * y[i * 2 * I + I + j];  /* in place */
            }
        failed |= qlinear_apply(down, y, n, t);
        for (int64_t i = 0; i < n * C; i++) h[i] += t[i];
    }
    free(x); free(t); free(y); free(q); free(att);
    return failed;
}
