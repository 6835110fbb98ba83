/* quant_matmul.c: weight-only quantized matmuls for a few rows of activations, y = x W^T
   (int4/int8 codes with fp32 activations, the same with int8 activations, fp32 and bf16
   weights), and the dequantizers for prefills.

   Readable Python reference: lmforge.model.quant.Int4Linear.reference_forward and
   Int8Linear.reference_forward (QuantizedLinear's: dequantize, then F.linear); the
   dequantizers: Int4Linear.dequantize / Int8Linear.dequantize; the int8 activations:
   lmforge.model.cpu_kernels.int8_activations.

   lmforge's CPU kernels for decode steps are in this file, attention.c (paged decode
   attention, RoPE, RMSNorm) and decode_step.c (a decode step through a whole stack of
   Llama blocks), sharing simd.h.

   A decode step reads every weight once and does two flops per weight, so it is bound by
   memory traffic: the loop below reads the 4- or 8-bit codes once, turns each 32-wide block
   into floats in registers (w = scale * q + min) and multiplies it into every row of x while
   the block is hot. Activations and accumulators stay fp32, so the result equals the
   reference path (dequantize, then a float matmul) up to summation order. Further down:
   the same with activations rounded to int8 (integer dot products, llama.cpp's scheme), an
   fp32-weight GEMV, and dequantization for prefills.

   A block is 32 weights = 16 lanes x 2: with AVX-512 one register holds 16 floats, with AVX2
   two do (`vec16`, simd.h, hides which). Two accumulators a row of x (the block's two halves)
   keep two FMA chains in flight. Output columns are shared among the OpenMP threads, which
   are PyTorch's own (the library links the libgomp that torch has already loaded). Built with
   -march=native for the CPU at hand; a CPU with neither AVX2 nor AVX-512 gets no build
   (the caller then uses PyTorch's kernels).

   Layouts (row-major, as model/quant.py stores them):
     x      float32 (M, K)
     int4   codes uint8 (N, K/2): column 2j in the low nibble, 2j+1 in the high one;
            scales, mins fp32 or fp16 (N, K/group)      w = scale * q + min, q in [0, 15]
     int8   codes int8 (N, K); scales fp32 or fp16 (N, K/group)   w = scale * q
     y      float32 (M, N)
   K and the group size must be multiples of 32 (the caller checks). */

#include "simd.h"

#define BLOCK 32     /* weights turned into floats at a time */
#if defined(__AVX512F__)  /* 32 registers: 2 x 8 sums, 4 weights, 2 of x */
#define ROW_TILE 8   /* rows of x multiplied with a block while it is in registers */
#define COL_TILE 2   /* output columns sharing each load of x */
#else                     /* AVX2: 16 registers, and a vec16 takes two */
#define ROW_TILE 4
#define COL_TILE 1
#endif

/* Scales and mins: fp32, or fp16 as GGUF stores them (widened exactly on load; a quarter
   fewer bytes for a decode step to read with 4-bit codes). */
typedef struct { const void *p; int half; } floats;
static inline floats f_skip(floats f, int64_t i) {
    f.p = f.half ? (const void *)((const uint16_t *)f.p + i) : (const void *)((const float *)f.p + i);
    return f;
}
static inline float f_get(floats f, int64_t i) {
    return f.half ? _cvtsh_ss(((const uint16_t *)f.p)[i]) : ((const float *)f.p)[i];
}

/* The quantized weights of a tile's columns, from its first column on: a column's codes are
   K * bits / 8 bytes, its scales and mins (int4 only) `groups` entries. */
typedef struct {
    const uint8_t *codes;
    floats scales, mins;
    int64_t group, groups;
} qcols;

/* int4 codes pair columns 2j and 2j+1 in one byte; reorder x once per call so that the low
   nibbles of a block meet x's even columns (first 16) and the high nibbles the odd ones. */
static void split_even_odd(const float *x, float *out, int64_t M, int64_t K) {
    for (int64_t i = 0; i < M * K; i += BLOCK)
        for (int j = 0; j < 16; j++) {
            out[i + j] = x[i + 2 * j];
            out[i + 16 + j] = x[i + 2 * j + 1];
        }
}

/* The tiles' loops over rows and columns must unroll completely, or their sums live in
   memory instead of registers (gcc gives up on these bodies by itself). */
#define UNROLL _Pragma("GCC unroll 8")
#define FOR_SUMS(statement)  /* for every column c and row r of a tile */              \
    UNROLL for (int c = 0; c < cols; c++) UNROLL for (int r = 0; r < rows; r++) statement

/* Block b (32 codes) of one output column's row of codes, as floats q: for int4 the even
   columns in `lo` and the odd ones in `hi` (x is reordered to match), for int8 the first 16
   and the last 16. `bits` is a literal at every call, so each inlined copy reads one kind. */
static inline __attribute__((always_inline)) void
codes_block(const int bits, const void *row, int64_t b, vec16 *lo, vec16 *hi) {
    if (bits == 4) {
        v_nibbles((const uint8_t *)row + b * 16, lo, hi);
    } else {
        *lo = v_int8((const int8_t *)row + b * BLOCK);
        *hi = v_int8((const int8_t *)row + b * BLOCK + 16);
    }
}

/* Output columns n..n+cols-1 (cols <= COL_TILE) for rows m0..m0+rows-1 (rows <= ROW_TILE) of
   x, weights of `bits` 4 (w = scale * q + min) or 8 (w = scale * q: no mins); all three are
   constants after inlining, so the cols x rows sums stay in registers and each load of x
   feeds `cols` FMAs. */
static inline __attribute__((always_inline)) void
weight_tile(const int bits, qcols w, const float *x, int64_t m0, const int rows, int64_t K,
            float *y, int64_t N, int64_t n, const int cols) {
    vec16 acc[COL_TILE][ROW_TILE];
    FOR_SUMS(acc[c][r] = v_zero());
    for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
        g += b * BLOCK >= (g + 1) * w.group;  /* the block's group (no division in the loop) */
        vec16 w0[COL_TILE], w1[COL_TILE];
        UNROLL
        for (int c = 0; c < cols; c++) {
            const vec16 s = v_splat(f_get(w.scales, c * w.groups + g));
            const vec16 mn = bits == 4 ? v_splat(f_get(w.mins, c * w.groups + g)) : v_zero();
            codes_block(bits, w.codes + c * (K * bits / 8), b, &w0[c], &w1[c]);
            w0[c] = v_fma(w0[c], s, mn);  /* w = scale * q + min */
            w1[c] = v_fma(w1[c], s, mn);
        }
        UNROLL
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (m0 + r) * K + b * BLOCK;
            const vec16 x0 = v_load(xr), x1 = v_load(xr + 16);
            UNROLL
            for (int c = 0; c < cols; c++)
                acc[c][r] = v_fma(w1[c], x1, v_fma(w0[c], x0, acc[c][r]));
        }
    }
    FOR_SUMS(y[(m0 + r) * N + n + c] = v_sum(acc[c][r]));
}

/* Calls `tile` with compile-time row and column counts, so each case keeps its sums in
   registers: full tiles of CT columns and RT rows (RT <= 8), then the rows and the single
   column left over. */
#define ROWS_CASES(tile, RT, cols, ...)                                               \
    switch (M - m0 < RT ? (int)(M - m0) : RT) {                                       \
    case 1: tile(__VA_ARGS__, m0, 1, cols); break;                                     \
    case 2: tile(__VA_ARGS__, m0, 2 % (RT + 1), cols); break;                          \
    case 3: tile(__VA_ARGS__, m0, 3 % (RT + 1), cols); break;                          \
    case 4: tile(__VA_ARGS__, m0, 4 % (RT + 1), cols); break;                          \
    case 5: tile(__VA_ARGS__, m0, 5 % (RT + 1), cols); break;                          \
    case 6: tile(__VA_ARGS__, m0, 6 % (RT + 1), cols); break;                          \
    case 7: tile(__VA_ARGS__, m0, 7 % (RT + 1), cols); break;                          \
    default: tile(__VA_ARGS__, m0, RT, cols); break;                                   \
    }
/* `variant` goes to every tile call as a literal (the scales' type, or the tile function),
   so each inlined copy of a tile is compiled for one case, with no test of it in its loops. */
#define FOR_TILES(tile, variant, RT, CT)                                              \
    _Pragma("omp parallel for schedule(static)")                                      \
    for (int64_t n = 0; n < N; n += CT)                                               \
        for (int64_t m0 = 0; m0 < M; m0 += RT) {                                      \
            if (n + CT <= N) { ROWS_CASES(tile, RT, CT, variant, n) }                 \
            else { ROWS_CASES(tile, RT, 1, variant, n) }                              \
        }
/* FOR_TILES with fp16 or fp32 scales (`half`): tile(half, n, m0, rows, cols) */
#define FOR_TILES_BY_SCALES(tile, RT)                                                 \
    if (half) { FOR_TILES(tile, 1, RT, COL_TILE) }                                    \
    else { FOR_TILES(tile, 0, RT, COL_TILE) }

/* Columns n on of `bits`-bit codes with their scales (fp16 if `half`) and mins (int4) */
#define SCALES(data, half, n) f_skip((floats){data, half}, (n) * groups)
#define NO_MINS ((floats){NULL, 0})
#define COLUMNS(bits, half, n)                                                        \
    ((qcols){(const uint8_t *)codes + (n) * (K * bits / 8), SCALES(scale_data, half, n), \
             bits == 4 ? SCALES(min_data, half, n) : NO_MINS, group, groups})
#define Q4_TILE(half, n, m0, rows, cols) \
    weight_tile(4, COLUMNS(4, half, n), xs, m0, rows, K, y, N, n, cols)
#define Q8_TILE(half, n, m0, rows, cols) \
    weight_tile(8, COLUMNS(8, half, n), x, m0, rows, K, y, N, n, cols)

int q4_matmul(const float *x, int64_t M, int64_t K, const uint8_t *codes,
              const void *scale_data, const void *min_data, int half, int64_t N, int64_t group,
              float *y) {
    float *xs = malloc(sizeof(float) * M * K);
    if (!xs) return 1;
    split_even_odd(x, xs, M, K);
    const int64_t groups = K / group;
    FOR_TILES_BY_SCALES(Q4_TILE, ROW_TILE)
    free(xs);
    return 0;
}

int q8_matmul(const float *x, int64_t M, int64_t K, const int8_t *codes,
              const void *scale_data, int half, int64_t N, int64_t group, float *y) {
    const void *min_data = NULL;  /* int8: w = scale * q */
    const int64_t groups = K / group;
    FOR_TILES_BY_SCALES(Q8_TILE, ROW_TILE)
    return 0;
}

/* fp32 weights (N, K) for a few rows of x: the same tiling, nothing to decode (a float
   model's decode steps run through decode_layers too). */
/* A tile of x W^T for float weights, fp32 or bf16 (`load` widens them exactly). */
#define FLOAT_TILE(name, weight_t, load)                                                     \
static inline __attribute__((always_inline)) void                                          \
name(const float *x, int64_t m0, const int rows, int64_t K, const weight_t *w, float *y,     \
     int64_t N, int64_t n, const int cols) {                                                \
    vec16 acc[COL_TILE][ROW_TILE];                                                          \
    FOR_SUMS(acc[c][r] = v_zero());                                                         \
    for (int64_t k = 0; k < K; k += 16) {                                                   \
        vec16 wk[COL_TILE];                                                                 \
        UNROLL                                                                              \
        for (int c = 0; c < cols; c++) wk[c] = load(w + c * K + k);                         \
        UNROLL                                                                              \
        for (int r = 0; r < rows; r++) {                                                    \
            const vec16 xk = v_load(x + (m0 + r) * K + k);                                  \
            UNROLL                                                                          \
            for (int c = 0; c < cols; c++) acc[c][r] = v_fma(wk[c], xk, acc[c][r]);         \
        }                                                                                   \
    }                                                                                       \
    FOR_SUMS(y[(m0 + r) * N + n + c] = v_sum(acc[c][r]));                                   \
}
FLOAT_TILE(f32_tile, float, v_load)
FLOAT_TILE(bf16_tile, uint16_t, v_load_bf16)

#define FLOAT_WEIGHTS(tile_fn, n, m0, rows, cols) \
    tile_fn(x, m0, rows, K, w + (n) * K, y, N, n, cols)

int f32_matmul(const float *x, int64_t M, int64_t K, const float *w, int64_t N, float *y) {
    if (K % 16) return 2;
    FOR_TILES(FLOAT_WEIGHTS, f32_tile, ROW_TILE, COL_TILE)
    return 0;
}

/* bf16 weights (`--dtype bf16`), fp32 x and sums: half of fp32's bytes to read. */
int bf16_matmul(const float *x, int64_t M, int64_t K, const uint16_t *w, int64_t N, float *y) {
    if (K % 16) return 2;
    FOR_TILES(FLOAT_WEIGHTS, bf16_tile, ROW_TILE, COL_TILE)
    return 0;
}

/* ---- Integer dot products: activations quantized to int8 (llama.cpp's Q8 blocks) ----------
   The fp32 GEMV above spends ~13 instructions a 32-weight block turning codes into floats.
   With the activations quantized to int8 per 32-wide block (xq = round(x / d), d =
   max|x| / 127) a block costs one multiply-add of bytes (AVX-512 VNNI `vpdpbusd` on two
   blocks at once, or AVX2 `vpmaddubsw`) and one float scale:
       int4:  y = sum_b  s_b d_b sum_k q_k xq_k  +  m_b d_b sum_k xq_k
       int8:  y = sum_b  s_b d_b sum_k q_k xq_k
   It differs from the fp32 path by the activations' rounding (relative error <= 1/254 an
   element, averaging out over K), as llama.cpp's own matmuls do; the tests compare it with
   this formula evaluated in float64. Scales: one a 32-block (group 32), or shared by each
   pair of blocks (a group of 64, 128, ... or the whole row): `q8_acts_supported`. */

#if defined(__AVX512VNNI__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define VNNI 1        /* AVX-512 VNNI: int4 takes 4 blocks a step, int8 2 */
#define XROW_TILE 4   /* 8 rows x 2 columns of sums would spill (measured: 2x slower) */
#else
#define VNNI 0        /* AVX2: one block a step */
#define XROW_TILE ROW_TILE
#endif

typedef struct {
    int8_t *q;      /* (M, nbp * 32) int8 activations, laid out as `act_index` says */
    float *d;       /* (M, nbp) block scales; 0 in the padding blocks */
    float *lanes;   /* (M, nbp * 4) each block's d for each int32 lane of its dot products */
    float *gsum;    /* (M, groups) sum over a group's blocks of d_b * sum(xq): the mins' term */
    int32_t *corr;  /* (M, nbp * 8) -128 * each 4 xq's sum: undoes the +128 of int8 weights */
    int64_t nbp;    /* blocks a row, rounded up to 4 (the padding is zeros) */
} q8_acts;

static int q8_acts_supported(int64_t K, int64_t group) {  /* as cpu_kernels.py checks */
    return K % BLOCK == 0 && (group == BLOCK || group == 2 * BLOCK || group % (4 * BLOCK) == 0
                              || group == K);
}

static void q8_acts_free(q8_acts *a) {
    free(a->q); free(a->d); free(a->lanes); free(a->gsum); free(a->corr);
}

/* Where element j of block b goes: int4 (j < 16: the block's even columns, then its odd
   ones) with VNNI interleaves 4 blocks, so one 64-byte load of codes meets 64 bytes of x:
   [even columns of blocks b..b+3][odd columns of blocks b..b+3]; else blocks in order. */
static inline int64_t act_index(int64_t b, int j, int int4) {
    if (VNNI && int4) return (b / 4) * 128 + (j / 16) * 64 + (b % 4) * 16 + j % 16;
    return b * BLOCK + j;
}

static int quantize_acts(const float *x, int64_t M, int64_t K, int64_t group, int int4,
                         q8_acts *a) {
    const int64_t nb = K / BLOCK, nbp = (nb + 3) & ~(int64_t)3, groups = K / group;
    a->nbp = nbp;
    a->q = calloc(M * nbp * BLOCK, 1);
    a->d = calloc(M * nbp, sizeof(float));
    a->lanes = calloc(M * nbp * 4, sizeof(float));
    a->gsum = calloc(M * groups, sizeof(float));
    a->corr = calloc(M * nbp * 8, sizeof(int32_t));
    if (!a->q || !a->d || !a->lanes || !a->gsum || !a->corr) return 1;
    for (int64_t m = 0; m < M; m++)
        for (int64_t b = 0; b < nb; b++) {
            const float *src = x + m * K + b * BLOCK;
            float v[BLOCK], amax = 0.0f;
            for (int j = 0; j < BLOCK; j++) {
                v[j] = int4 ? src[2 * (j % 16) + j / 16] : src[j];
                amax = fabsf(v[j]) > amax ? fabsf(v[j]) : amax;
            }
            const float d = amax / 127.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
            int8_t *q = a->q + m * nbp * BLOCK;
            int32_t sum = 0, quad = 0;
            for (int j = 0; j < BLOCK; j++) {
                const int8_t qj = (int8_t)nearbyintf(v[j] * id);  /* to nearest even */
                q[act_index(b, j, int4)] = qj;
                sum += qj;
                quad += qj;
                if (j % 4 == 3) a->corr[(m * nbp + b) * 8 + j / 4] = -128 * quad, quad = 0;
            }
            a->d[m * nbp + b] = d;
            for (int l = 0; l < 4; l++) a->lanes[(m * nbp + b) * 4 + l] = d;
            a->gsum[m * groups + b * BLOCK / group] += d * (float)sum;
        }
    return 0;
}

#if VNNI
/* int4: four blocks a step, 64 bytes of codes: the low nibbles meet the even columns, the
   high ones the odd, both summed into one int32 vector whose lanes 4i..4i+3 are block b+i's. 
   int8: two blocks a step (64 codes), lanes 0-7 block b's, 8-15 block b+1's. A row whose
   block count is not a multiple of the step ends on a part: masked loads (x is 0 there). */
static inline __m512 f_load(floats f, __mmask16 valid) {  /* the first lanes of `valid` */
    return f.half ? _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(valid, f.p))
                  : _mm512_maskz_loadu_ps(valid, f.p);
}
static inline __m512 spread(floats f, __mmask16 valid, __m512i index) {
    return _mm512_permutexvar_ps(index, f_load(f, valid));
}
static inline __m512 pair_lanes(floats f, __mmask16 valid) {  /* [p0 x 8, p1 x 8] */
    return spread(f, valid, _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
}
static inline float sum_tail(__m512 acc, floats a, const float *b, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {  /* acc + a . b, then the lanes' sum */
        const __mmask16 valid = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        acc = _mm512_fmadd_ps(f_load(f_skip(a, i), valid), _mm512_maskz_loadu_ps(valid, b + i), acc);
    }
    return _mm512_reduce_add_ps(acc);
}

static inline __m512 add_dots(__m512 acc, __m512i dots, __m512 s, __m512 d) {
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots), _mm512_mul_ps(s, d), acc);  /* + s d dots */
}

static inline __attribute__((always_inline)) void
q4x_tile(const q8_acts *a, int64_t m0, const int rows, int64_t K, const uint8_t *codes,
         floats scales, floats mins, int64_t group, float *y, int64_t N,
         int64_t n, const int cols) {
    const int64_t nb = K / BLOCK, groups = K / group;
    /* a quad's scales: one a block (group 32), one a pair (64), or one for all four */
    const int per_quad = group == BLOCK ? 4 : group == 2 * BLOCK ? 2 : 1;
    const __m512i index = per_quad == 4 ? _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3)
                        : per_quad == 2 ? _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)
                        : _mm512_setzero_si512();
    const __m512i low = _mm512_set1_epi8(15);
    __m512 acc[COL_TILE][ROW_TILE];
    FOR_SUMS(acc[c][r] = _mm512_setzero_ps());
    for (int64_t b = 0, g = 0; b < nb; b += 4) {
        /* masks: all of a full quad; the blocks and scales left in the last, partial one */
        const int64_t left = nb - b < 4 ? nb - b : 4, per_scale = 4 / per_quad;
        const __mmask64 bytes = left == 4 ? ~0ULL : (1ULL << (16 * left)) - 1;
        const __mmask16 valid = left == 4 ? (1u << per_quad) - 1 : (1u << ((left + per_scale - 1) / per_scale)) - 1;
        __m512i w_lo[COL_TILE], w_hi[COL_TILE];
        __m512 s[COL_TILE];
        UNROLL
        for (int c = 0; c < cols; c++) {
            const __m512i v = _mm512_maskz_loadu_epi8(bytes, codes + c * (K / 2) + b * 16);
            w_lo[c] = _mm512_and_si512(v, low);
            w_hi[c] = _mm512_and_si512(_mm512_srli_epi16(v, 4), low);
            s[c] = spread(f_skip(scales, c * groups + g), valid, index);
        }
        UNROLL
        for (int r = 0; r < rows; r++) {
            const int64_t row = (m0 + r) * a->nbp;
            const int8_t *xq = a->q + (row + b) * BLOCK;  /* even columns, then odd */
            const __m512i even = _mm512_loadu_si512(xq), odd = _mm512_loadu_si512(xq + 64);
            const __m512 d = _mm512_loadu_ps(a->lanes + (row + b) * 4);
            UNROLL
            for (int c = 0; c < cols; c++)
                acc[c][r] = add_dots(acc[c][r], _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(
                    _mm512_setzero_si512(), w_lo[c], even), w_hi[c], odd), s[c], d);
        }
        g += per_quad > 1 ? per_quad : (b + 4) * BLOCK >= (g + 1) * group;  /* no division */
    }
    FOR_SUMS(y[(m0 + r) * N + n + c] = sum_tail(acc[c][r], f_skip(mins, c * groups),
                                                a->gsum + (m0 + r) * groups, groups));
}

static inline __attribute__((always_inline)) void
q8x_tile(const q8_acts *a, int64_t m0, const int rows, int64_t K, const int8_t *codes,
         floats scales, int64_t group, float *y, int64_t N, int64_t n, const int cols) {
    const int64_t nb = K / BLOCK, groups = K / group;
    const int shared = group != BLOCK;
    __m512 acc[COL_TILE][ROW_TILE];
    FOR_SUMS(acc[c][r] = _mm512_setzero_ps());
    for (int64_t b = 0, g = 0; b < nb; b += 2) {
        g += b * BLOCK >= (g + 1) * group;
        const int whole = b + 1 < nb;
        __m512i w[COL_TILE];
        __m512 s[COL_TILE];
        UNROLL
        for (int c = 0; c < cols; c++) {  /* w + 128: vpdpbusd takes unsigned bytes */
            w[c] = _mm512_xor_si512(_mm512_maskz_loadu_epi8(whole ? ~0ULL : 0xFFFFFFFFULL,
                                                            codes + c * K + b * BLOCK),
                                    _mm512_set1_epi8((char)0x80));
            s[c] = shared ? _mm512_set1_ps(f_get(scales, c * groups + g))
                          : pair_lanes(f_skip(scales, c * groups + b), whole ? 3 : 1);
        }
        UNROLL
        for (int r = 0; r < rows; r++) {
            const int64_t row = (m0 + r) * a->nbp;
            const __m512i xq = _mm512_loadu_si512(a->q + (row + b) * BLOCK);
            const __m512i corr = _mm512_loadu_si512(a->corr + (row + b) * 8);
            const __m512 d = pair_lanes((floats){a->d + row + b, 0}, 3);
            UNROLL
            for (int c = 0; c < cols; c++)
                acc[c][r] = add_dots(acc[c][r], _mm512_dpbusd_epi32(corr, w[c], xq), s[c], d);
        }
    }
    FOR_SUMS(y[(m0 + r) * N + n + c] = _mm512_reduce_add_ps(acc[c][r]));
}

/* The int8-activation tile for `bits` 4 or 8 (a literal: the other branch goes) */
static inline __attribute__((always_inline)) void
acts_tile(const int bits, qcols w, const q8_acts *a, int64_t m0, const int rows, int64_t K,
          float *y, int64_t N, int64_t n, const int cols) {
    if (bits == 4) q4x_tile(a, m0, rows, K, w.codes, w.scales, w.mins, w.group, y, N, n, cols);
    else q8x_tile(a, m0, rows, K, (const int8_t *)w.codes, w.scales, w.group, y, N, n, cols);
}
#else
/* AVX2: one block a step, bytes multiplied pairwise into int16 (`vpmaddubsw`: unsigned x
   signed, so int8 weights lend their sign to x) and summed into 8 int32 lanes. */
static inline float sum8(__m256 s) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}
static float dot_f(floats a, const float *b, int64_t n) {  /* a . b, a fp32 or fp16 */
    if (!a.half) return dot(a.p, b, n);
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += f_get(a, i) * b[i];
    return s;
}
static inline __m256 dot_bytes(__m256i u, __m256i s) {
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1)));
}

/* int4 codes are unsigned already; int8 ones lend their sign to x (`vpmaddubsw` takes an
   unsigned and a signed byte) */
static inline __m256 dot_codes(const int bits, __m256i w, __m256i xq) {
    return bits == 4 ? dot_bytes(w, xq) : dot_bytes(_mm256_abs_epi8(w), _mm256_sign_epi8(xq, w));
}

static inline __attribute__((always_inline)) void
acts_tile(const int bits, qcols w, const q8_acts *a, int64_t m0, const int rows, int64_t K,
          float *y, int64_t N, int64_t n, const int cols) {
    const int64_t groups = w.groups;
    __m256 acc[COL_TILE][ROW_TILE];
    FOR_SUMS(acc[c][r] = _mm256_setzero_ps());
    for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
        g += b * BLOCK >= (g + 1) * w.group;
        __m256i codes[COL_TILE];
        UNROLL
        for (int c = 0; c < cols; c++) {
            const uint8_t *column = w.codes + c * (K * bits / 8);
            if (bits == 4) {  /* [low nibbles | high nibbles] */
                const __m128i v = _mm_loadu_si128((const __m128i *)(column + b * 16));
                codes[c] = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(v, 4), v),
                                            _mm256_set1_epi8(15));
            } else {
                codes[c] = _mm256_loadu_si256((const __m256i *)(column + b * BLOCK));
            }
        }
        UNROLL
        for (int r = 0; r < rows; r++) {
            const int64_t row = (m0 + r) * a->nbp;
            const __m256i xq = _mm256_loadu_si256((const __m256i *)(a->q + (row + b) * BLOCK));
            const float d = a->d[row + b];
            UNROLL
            for (int c = 0; c < cols; c++)
                acc[c][r] = _mm256_fmadd_ps(dot_codes(bits, codes[c], xq),
                                            _mm256_set1_ps(f_get(w.scales, c * groups + g) * d),
                                            acc[c][r]);
        }
    }
    FOR_SUMS(y[(m0 + r) * N + n + c] = sum8(acc[c][r]) + (bits == 4 ? dot_f(
        f_skip(w.mins, c * groups), a->gsum + (m0 + r) * groups, groups) : 0.0f));
}
#endif

#define ACTS4_TILE(half, n, m0, rows, cols) \
    acts_tile(4, COLUMNS(4, half, n), &a, m0, rows, K, y, N, n, cols)
#define ACTS8_TILE(half, n, m0, rows, cols) \
    acts_tile(8, COLUMNS(8, half, n), &a, m0, rows, K, y, N, n, cols)

/* x rounded to int8 blocks (1, or 2 where the shape is not one `q8_acts_supported` takes)
   times `bits` 4 or 8 weights (min_data NULL) */
static int matmul_q8(int bits, const float *x, int64_t M, int64_t K, const uint8_t *codes,
                     const void *scale_data, const void *min_data, int half, int64_t N,
                     int64_t group, float *y) {
    q8_acts a = {0};
    const int64_t groups = K / group;
    if (!q8_acts_supported(K, group)) return 2;
    const int failed = quantize_acts(x, M, K, group, bits == 4, &a);
    if (failed) {}
    else if (bits == 4) { FOR_TILES_BY_SCALES(ACTS4_TILE, XROW_TILE) }
    else { FOR_TILES_BY_SCALES(ACTS8_TILE, XROW_TILE) }
    q8_acts_free(&a);
    return failed;
}

int q4_matmul_q8(const float *x, int64_t M, int64_t K, const uint8_t *codes,
                 const void *scale_data, const void *min_data, int half, int64_t N, int64_t group,
                 float *y) {
    return matmul_q8(4, x, M, K, codes, scale_data, min_data, half, N, group, y);
}

int q8_matmul_q8(const float *x, int64_t M, int64_t K, const int8_t *codes,
                 const void *scale_data, int half, int64_t N, int64_t group, float *y) {
    return matmul_q8(8, x, M, K, (const uint8_t *)codes, scale_data, NULL, half, N, group, y);
}

/* The float weights themselves, for many rows of x (a prefill): the caller multiplies them
   with a float GEMM (MKL / oneDNN), in the natural column order (a byte's two nibbles, the
   block's even and odd columns, interleaved back in registers). w = scale * q + min (int8:
   scale * q) rounded as PyTorch rounds it (a product, then a sum), so the values are
   bit-identical to the reference path's; with `bf16` set, w is written as bf16 (for a CPU
   with bf16 matmul hardware), rounded as PyTorch's .bfloat16() rounds those fp32 values. */
static inline void store_row_part(void *w, int bf16, int64_t at, vec16 v) {
    if (bf16)
        v_store_bf16((uint16_t *)w + at, v);
    else
        v_store((float *)w + at, v);
}

/* Row n of the weight (codes, scales and mins from that row on), `bits` a literal at the
   call: each inlined copy dequantizes one kind, with no test of it in its loop. */
static inline __attribute__((always_inline)) void
dequantize_row(const int bits, const uint8_t *codes, floats scales, floats mins, int64_t K,
               int64_t group, void *w, int bf16, int64_t n) {
    for (int64_t b = 0, g = 0; b < K / BLOCK; b++) {
        g += b * BLOCK >= (g + 1) * group;
        const vec16 s = v_splat(f_get(scales, g));
        const vec16 mn = bits == 4 ? v_splat(f_get(mins, g)) : v_zero();
        vec16 lo, hi;
        codes_block(bits, codes, b, &lo, &hi);
        lo = v_add(v_mul(lo, s), mn);
        hi = v_add(v_mul(hi, s), mn);
        if (bits == 4) v_interleave(lo, hi, &lo, &hi);  /* even, odd -> column order */
        store_row_part(w, bf16, n * K + b * BLOCK, lo);
        store_row_part(w, bf16, n * K + b * BLOCK + 16, hi);
    }
}
#define DEQUANTIZE_ROWS(bits)                                                         \
    _Pragma("omp parallel for schedule(static)")                                      \
    for (int64_t n = 0; n < N; n++)                                                   \
        dequantize_row(bits, (const uint8_t *)codes + n * (K * bits / 8),             \
                       SCALES(scale_data, half, n),                                   \
                       bits == 4 ? SCALES(min_data, half, n) : NO_MINS, K, group, w, bf16, n);

int q4_dequantize(const uint8_t *codes, const void *scale_data, const void *min_data, int half,
                  int64_t N, int64_t K, int64_t group, void *w, int bf16) {
    const int64_t groups = K / group;
    DEQUANTIZE_ROWS(4)
    return 0;
}

int q8_dequantize(const int8_t *codes, const void *scale_data, int half, int64_t N, int64_t K,
                  int64_t group, void *w, int bf16) {
    const void *min_data = NULL;  /* int8: w = scale * q */
    const int64_t groups = K / group;
    DEQUANTIZE_ROWS(8)
    return 0;
}
