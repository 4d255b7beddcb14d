/* mf_monitor: summaries and the telemetry record (see mf_monitor.h). Part of microforge. */
#include "mf_monitor.h"

#include "mf_cbor.h"
#include "monocypher.h"

#define MF_MONITOR_FULL_TAG 16u
#define MF_MONITOR_TINY_TAG 8u

void mf_monitor_reset(const mf_monitor_config *cfg, mf_monitor_state *st) {
    uint32_t i;
    for (i = 0u; i < cfg->n_classes; ++i) {
        st->class_counts[i] = 0u;
    }
    for (i = 0u; i < cfg->n_conf_bins; ++i) {
        st->conf_hist[i] = 0u;
    }
    for (i = 0u; i < cfg->n_margin_bins; ++i) {
        st->margin_hist[i] = 0u;
    }
    for (i = 0u; i < cfg->n_features * cfg->n_feature_bins; ++i) {
        st->feature_hist[i] = 0u;
    }
    for (i = 0u; i < cfg->n_features; ++i) {
        st->welford[i].n = 0u;
        st->welford[i].mean = 0;
        st->welford[i].m2 = 0u;
    }
    st->windows = 0u;
    st->sat_low = 0u;
    st->sat_high = 0u;
    st->latency_min = 0xFFFFFFFFu;
    st->latency_max = 0u;
    st->latency_sum = 0u;
}

static uint32_t mf_monitor_bin32(const int32_t *edges, uint32_t n_edges, int32_t value) {
    uint32_t bin = 0u;
    while (bin < n_edges && value >= edges[bin]) {
        ++bin;
    }
    return bin;
}

static uint32_t mf_monitor_bin16(const int16_t *edges, uint32_t n_edges, int32_t value) {
    uint32_t bin = 0u;
    while (bin < n_edges && value >= (int32_t)edges[bin]) {
        ++bin;
    }
    return bin;
}

/* d / n rounded half away from zero (n > 0, |d| < 2^30) */
static int32_t mf_monitor_div_round(int32_t d, int32_t n) {
    return d >= 0 ? (d + n / 2) / n : -((n / 2 - d) / n);
}

static void mf_monitor_count(uint16_t *counter) {
    if (*counter < 0xFFFFu) {
        ++*counter;
    }
}

void mf_monitor_input(const mf_monitor_config *cfg, mf_monitor_state *st, const int8_t *input) {
    uint32_t i;
    uint32_t f;
    uint32_t low = 0u;
    uint32_t high = 0u;
    const uint32_t stride = cfg->n_groups;
    const uint32_t frames = cfg->n_inputs / stride;
    for (i = 0u; i < cfg->n_inputs; ++i) {
        low += (uint32_t)(input[i] == -128);
        high += (uint32_t)(input[i] == 127);
    }
    st->sat_low += low;
    st->sat_high += high;
    for (f = 0u; f < cfg->n_features; ++f) {
        /* one group's inputs in order, the Welford state in locals */
        const int8_t *x = input + cfg->feature_group[f];
        mf_welford *w = &st->welford[f];
        uint32_t n = w->n;
        int32_t mean = w->mean;
        uint64_t m2 = w->m2;
        int32_t sum = 0;
        uint32_t edges = cfg->n_feature_bins - 1u;
        uint32_t t;
        for (t = 0u; t < frames; ++t, x += stride) {
            int32_t xq = (int32_t)*x * 65536;
            int32_t d = xq - mean;
            sum += *x;
            ++n;
            mean += mf_monitor_div_round(d, (int32_t)n);
            m2 += (uint64_t)((int64_t)d * (int64_t)(xq - mean)) >> 16;
        }
        w->n = n;
        w->mean = mean;
        w->m2 = m2;
        mf_monitor_count(&st->feature_hist[f * cfg->n_feature_bins +
                                           mf_monitor_bin32(cfg->feature_edges + f * edges,
                                                            edges, sum)]);
    }
}

void mf_monitor_output(const mf_monitor_config *cfg, mf_monitor_state *st,
                       const int8_t *scores, uint32_t latency) {
    uint32_t i;
    uint32_t top = 0u;
    int32_t second = -129;
    for (i = 1u; i < cfg->n_classes; ++i) {
        if (scores[i] > scores[top]) {
            top = i;
        }
    }
    for (i = 0u; i < cfg->n_classes; ++i) {
        if (i != top && scores[i] > second) {
            second = scores[i];
        }
    }
    if (second < -128) {
        second = scores[top];  /* one class: no runner-up, margin 0 */
    }
    mf_monitor_count(&st->class_counts[top]);
    mf_monitor_count(&st->conf_hist[mf_monitor_bin16(cfg->conf_edges, cfg->n_conf_bins - 1u,
                                                     scores[top])]);
    mf_monitor_count(&st->margin_hist[mf_monitor_bin16(cfg->margin_edges,
                                                       cfg->n_margin_bins - 1u,
                                                       (int32_t)scores[top] - second)]);
    st->windows += 1u;
    st->latency_sum += latency;
    if (latency < st->latency_min) {
        st->latency_min = latency;
    }
    if (latency > st->latency_max) {
        st->latency_max = latency;
    }
}

static void mf_monitor_counts(mf_cbor_writer *w, const uint16_t *counts, uint32_t n) {
    uint32_t i;
    mf_cbor_array(w, n);
    for (i = 0u; i < n; ++i) {
        mf_cbor_uint(w, counts[i]);
    }
}

int32_t mf_monitor_record(const mf_monitor_config *cfg, const mf_monitor_state *st,
                          const mf_monitor_identity *id, int form, uint8_t *out, size_t cap) {
    mf_cbor_writer w;
    uint32_t tag_len;
    uint32_t i;
    if (cfg == NULL || st == NULL || id == NULL || out == NULL || id->key == NULL ||
        id->key_len == 0u || id->key_len > 64u ||
        (form != MF_MONITOR_FULL && form != MF_MONITOR_TINY)) {
        return -1;
    }
    tag_len = form == MF_MONITOR_FULL ? MF_MONITOR_FULL_TAG : MF_MONITOR_TINY_TAG;
    mf_cbor_init(&w, out, cap);
    mf_cbor_array(&w, form == MF_MONITOR_FULL ? 14u : 11u);
    mf_cbor_uint(&w, (uint32_t)form);
    mf_cbor_uint(&w, id->device_id);
    mf_cbor_uint(&w, cfg->model_id);
    mf_cbor_uint(&w, cfg->model_version);
    mf_cbor_uint(&w, id->seq);
    mf_cbor_uint(&w, st->windows);
    mf_monitor_counts(&w, st->class_counts, cfg->n_classes);
    mf_monitor_counts(&w, st->conf_hist, cfg->n_conf_bins);
    if (form == MF_MONITOR_FULL) {
        mf_monitor_counts(&w, st->margin_hist, cfg->n_margin_bins);
    }
    mf_cbor_array(&w, 2u);
    mf_cbor_uint(&w, st->sat_low);
    mf_cbor_uint(&w, st->sat_high);
    if (form == MF_MONITOR_FULL) {
        mf_cbor_array(&w, 3u);
        mf_cbor_uint(&w, st->windows ? st->latency_min : 0u);
        mf_cbor_uint(&w, st->windows ? st->latency_sum / st->windows : 0u);
        mf_cbor_uint(&w, st->latency_max);
        mf_cbor_array(&w, cfg->n_features);
        for (i = 0u; i < cfg->n_features; ++i) {
            mf_monitor_counts(&w, st->feature_hist + i * cfg->n_feature_bins,
                              cfg->n_feature_bins);
        }
        /* per feature: mean in Q8 (mean / 256) and variance in Q4 ((m2 / n) / 4096) */
        mf_cbor_array(&w, 2u * cfg->n_features);
        for (i = 0u; i < cfg->n_features; ++i) {
            const mf_welford *wf = &st->welford[i];
            uint64_t var = wf->n ? (wf->m2 / wf->n) / 4096u : 0u;
            mf_cbor_int(&w, wf->mean / 256);
            mf_cbor_uint(&w, var > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)var);
        }
    } else {
        mf_cbor_uint(&w, st->latency_max);
    }
    mf_cbor_bytes_head(&w, tag_len);
    if (w.overflow || cap - w.len < tag_len) {
        return -2;
    }
    /* the tag authenticates every byte before it */
    crypto_blake2b_keyed(out + w.len, tag_len, id->key, id->key_len, out, w.len);
    return (int32_t)(w.len + tag_len);
}
