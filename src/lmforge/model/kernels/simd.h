/* simd.h: what the kernel files share: vec16 (16 floats in one AVX-512 register or two AVX2
   ones) and its operations, `dot`, the KV pool's element types (KV_*), and the declarations
   of the functions one file defines and another calls (decode_step.c calls the matmuls of
   quant_matmul.c and the attention and RMSNorm of attention.c).

   Readable Python reference: none of its own; each helper is the plain arithmetic its name
   says (v_store_bf16 and v_load_bf16 round and widen as torch's .bfloat16() / .float()).
   The files including it are compiled together into one shared library
   (model/cpu_kernels.py) with -march=native: a CPU with neither AVX2 nor AVX-512 gets no
   build (the caller then uses PyTorch's kernels). */

#ifndef LMFORGE_KERNELS_SIMD_H
#define LMFORGE_KERNELS_SIMD_H

#include <immintrin.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

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
static inline vec16 v_load_bf16(const uint16_t *p) {  /* bf16 is fp32's top half: exact */
    return _mm512_castsi512_ps(_mm512_slli_epi32(
        _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p)), 16));
}
/* 16 floats as bf16, rounded to nearest even as PyTorch rounds them (finite values) */
static inline void v_store_bf16(uint16_t *p, vec16 a) {
    const __m512i bits = _mm512_castps_si512(a);
    const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i up = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7FFF)));
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtepi32_epi16(_mm512_srli_epi32(up, 16)));
}
/* even = columns 0, 2, .., 30 of a block, odd = 1, 3, .., 31 -> columns 0-15 and 16-31 */
static inline void v_interleave(vec16 even, vec16 odd, vec16 *first, vec16 *second) {
    const __m512i lo = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i hi = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9,
                                        24, 8);
    *first = _mm512_permutex2var_ps(even, lo, odd);
    *second = _mm512_permutex2var_ps(even, hi, odd);
}
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
static inline __m256 bf16_to_f32(__m128i h) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}
static inline vec16 v_load_bf16(const uint16_t *p) {
    return (vec16){bf16_to_f32(_mm_loadu_si128((const __m128i *)p)),
                   bf16_to_f32(_mm_loadu_si128((const __m128i *)(p + 8)))};
}
static inline __m256i bf16_bits(__m256 a) {  /* in the low half of each 32-bit lane */
    const __m256i bits = _mm256_castps_si256(a);
    const __m256i odd = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
    const __m256i up = _mm256_add_epi32(bits, _mm256_add_epi32(odd, _mm256_set1_epi32(0x7FFF)));
    return _mm256_srli_epi32(up, 16);
}
static inline void v_store_bf16(uint16_t *p, vec16 x) {
    /* packus interleaves 128-bit lanes (a0-3 b0-3 a4-7 b4-7): the permute restores order */
    const __m256i packed = _mm256_packus_epi32(bf16_bits(x.a), bf16_bits(x.b));
    _mm256_storeu_si256((__m256i *)p, _mm256_permute4x64_epi64(packed, 0xD8));
}
static inline void v_interleave(vec16 even, vec16 odd, vec16 *first, vec16 *second) {
    /* unpack works within 128-bit lanes: [e0 o0 e1 o1 | e4 o4 e5 o5], [e2 o2 e3 o3 | e6 ..] */
    const __m256 lo_a = _mm256_unpacklo_ps(even.a, odd.a), hi_a = _mm256_unpackhi_ps(even.a, odd.a);
    const __m256 lo_b = _mm256_unpacklo_ps(even.b, odd.b), hi_b = _mm256_unpackhi_ps(even.b, odd.b);
    *first = (vec16){_mm256_permute2f128_ps(lo_a, hi_a, 0x20), _mm256_permute2f128_ps(lo_a, hi_a, 0x31)};
    *second = (vec16){_mm256_permute2f128_ps(lo_b, hi_b, 0x20), _mm256_permute2f128_ps(lo_b, hi_b, 0x31)};
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
#error "lmforge's kernels need AVX2+FMA or AVX-512 (the caller falls back to PyTorch's kernels)"
#endif

/* a . b over D floats */
static inline float dot(const float *a, const float *b, int64_t D) {
    vec16 acc = v_zero();
    int64_t d = 0;
    for (; d + 16 <= D; d += 16) acc = v_fma(v_load(a + d), v_load(b + d), acc);
    float s = v_sum(acc);
    for (; d < D; d++) s += a[d] * b[d];
    return s;
}

/* The element type of a paged KV pool (cpu_kernels.py: KV_KINDS): attention.c reads it,
   decode_step.c writes it. */
enum { KV_F32 = 0, KV_F16 = 1, KV_BF16 = 2 };

/* Defined in quant_matmul.c, called by decode_step.c (qlinear_apply). */
int q4_matmul(const float *x, int64_t M, int64_t K, const uint8_t *codes,
              const void *scale_data, const void *min_data, int half, int64_t N, int64_t group,
              float *y);
int q8_matmul(const float *x, int64_t M, int64_t K, const int8_t *codes,
              const void *scale_data, int half, int64_t N, int64_t group, float *y);
int f32_matmul(const float *x, int64_t M, int64_t K, const float *w, int64_t N, float *y);
int bf16_matmul(const float *x, int64_t M, int64_t K, const uint16_t *w, int64_t N, float *y);
int q4_matmul_q8(const float *x, int64_t M, int64_t K, const uint8_t *codes,
                 const void *scale_data, const void *min_data, int half, int64_t N, int64_t group,
                 float *y);
int q8_matmul_q8(const float *x, int64_t M, int64_t K, const int8_t *codes,
                 const void *scale_data, int half, int64_t N, int64_t group, float *y);

/* Defined in attention.c, called by decode_step.c (decode_layer). */
int paged_attention_decode(const float *q, const void *keys, const void *values, int kv_half,
                           const int64_t *key_slots, const int64_t *lengths, int64_t n_seq,
                           int64_t S, int64_t n_head, int64_t n_kv, int64_t D, float scale,
                           float *out);
int rms_norm(const float *x, const float *w, int64_t M, int64_t C, float eps, float *y);

#endif
