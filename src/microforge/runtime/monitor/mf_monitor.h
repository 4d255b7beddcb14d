/* mf_monitor: per-window summaries of a deployed model, in fixed RAM, and the authenticated
 * CBOR telemetry record of a report period (docs/monitoring.md). Part of microforge.
 *
 * Per window (mf_monitor_input before the model runs, mf_monitor_output after it):
 *  - the top class (first of equal maxima) of the int8 scores: class_counts;
 *  - the top-1 int8 score and the margin top-1 - top-2 (int8 units): conf_hist, margin_hist;
 *  - per monitored feature f: the sum over the window of the int8 inputs of its group
 *    (input element i is in group i % n_groups): feature_hist[f];
 *  - inputs equal to -128 / 127: sat_low / sat_high;
 *  - per monitored feature, a running mean and variance over every int8 input of its group
 *    (fixed-point Welford, below);
 *  - the latency the caller measured (min, sum, max).
 * Histogram bins: bin = number of edges e (ascending) with value >= e.
 *
 * Welford in integers (mean Q16 int32, m2 Q16 uint64), for each input x of the group:
 *    n += 1; d = x * 65536 - mean; mean += round(d / n) (half away from zero:
 *    (d + n / 2) / n for d >= 0, -((n / 2 - d) / n) otherwise, integer divisions);
 *    m2 += (d * (x * 65536 - mean)) >> 16 (the product is >= 0, in 64 bits),
 * the inputs of a group taken in input order (i = g, g + n_groups, ...).
 * microforge.monitor.summary does exactly this in Python. No malloc. */
#ifndef MF_MONITOR_H
#define MF_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MF_MONITOR_FULL 1
#define MF_MONITOR_TINY 2

typedef struct {
    uint32_t n;
    int32_t mean;  /* Q16 */
    uint64_t m2;   /* Q16 */
} mf_welford;

typedef struct {
    uint32_t n_inputs;            /* int8 model inputs per window */
    uint32_t n_groups;            /* input element i is in group i % n_groups */
    uint32_t n_features;          /* monitored groups */
    const uint8_t *feature_group; /* n_features: the group of each feature */
    uint32_t n_feature_bins;
    const int32_t *feature_edges; /* n_features x (n_feature_bins - 1), on the group sums */
    uint32_t n_classes;
    uint32_t n_conf_bins;
    const int16_t *conf_edges;    /* n_conf_bins - 1, on the top-1 int8 score */
    uint32_t n_margin_bins;
    const int16_t *margin_edges;  /* n_margin_bins - 1, on top-1 - top-2 */
    uint32_t model_id;
    uint32_t model_version;
} mf_monitor_config;

typedef struct {
    /* buffers of the generated code (sizes from the config) */
    uint16_t *class_counts;  /* n_classes */
    uint16_t *conf_hist;     /* n_conf_bins */
    uint16_t *margin_hist;   /* n_margin_bins */
    uint16_t *feature_hist;  /* n_features x n_feature_bins */
    mf_welford *welford;     /* n_features */
    /* counters */
    uint32_t windows;
    uint32_t sat_low;
    uint32_t sat_high;
    uint32_t latency_min;
    uint32_t latency_max;
    uint32_t latency_sum;
} mf_monitor_state;

typedef struct {
    uint32_t device_id;
    uint32_t seq;          /* per-device sequence number: strictly increasing, kept in NV */
    const uint8_t *key;    /* the per-device key of the keyed BLAKE2b tag (1..64 bytes) */
    size_t key_len;
} mf_monitor_identity;

/* Zero every counter and histogram: a new report period. */
void mf_monitor_reset(const mf_monitor_config *cfg, mf_monitor_state *st);

/* The model's int8 input of one window (before the model runs: it may reuse the buffer). */
void mf_monitor_input(const mf_monitor_config *cfg, mf_monitor_state *st, const int8_t *input);

/* The model's int8 scores of the same window and its latency (any unit; microseconds in the
 * generated pipeline): ends the window. */
void mf_monitor_output(const mf_monitor_config *cfg, mf_monitor_state *st,
                       const int8_t *scores, uint32_t latency);

/* The telemetry record of the period so far (form MF_MONITOR_FULL or MF_MONITOR_TINY) into
 * out: its length in bytes, or -1 (a NULL argument, a key of 0 or > 64 bytes, unknown form)
 * or -2 (cap too small; nothing usable is in out). Does not reset the period. */
int32_t mf_monitor_record(const mf_monitor_config *cfg, const mf_monitor_state *st,
                          const mf_monitor_identity *id, int form, uint8_t *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* MF_MONITOR_H */
