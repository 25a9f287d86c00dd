"""Shared harness: load dumped shops, baseline (the model's own fit_model), evaluation."""
import os, sys, json, time
os.environ.setdefault("OMP_NUM_THREADS", "1"); os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"); os.environ.setdefault("MKL_NUM_THREADS", "1")
from pathlib import Path
import numpy as np, pandas as pd
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.cluster import KMeans

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "tests" / "python"))
DATA = ROOT / "target" / "kexp"
SUITE = ["three_clear", "five_unequal_overlap", "nine_personas", "rhythm", "discounts", "devices_app",
         "category_affinity", "recency_only", "dominant_half", "noisy", "retail_realistic", "orders_only",
         "cents_currency", "yen_currency"]
EXTRA = ["demo", "cdnow"]

_model = None
def model():
    global _model
    if _model is None:
        from conftest import load_module
        _model = load_module(ROOT / "models" / "segments" / "segmentation__cluster_model.py", "cluster_model")
    return _model

def load(shop):
    return pd.read_pickle(DATA / f"{shop}.pkl")

def truth(df):
    lab = df["__truth"].to_numpy().astype(object)
    keep = pd.notna(lab) & (lab != "noise")
    return lab, keep, len(set(lab[keep])) if keep.any() else None

def ari(df, labels):
    lab, keep, _ = truth(df)
    if not keep.any():
        return float("nan")
    return float(adjusted_rand_score(lab[keep], labels[keep]))

def nearest(X, C):
    return ((X[:, None, :] - C[None]) ** 2).sum(axis=2).argmin(axis=1)

def baseline(df, k=None):
    m = model()
    s = m.read_settings({"cluster_k": k} if k else {})
    sample = df.drop(columns=["__truth"])
    fit = m.fit_model(sample, len(sample), s, None)
    X = m.transform(sample.sort_values("customer_id", kind="mergesort").reset_index(drop=True), json.loads(fit["feature_spec"].iloc[0]))
    C = np.stack([json.loads(c) for c in fit["centroid"]])
    return int(fit["k"].iloc[0]), nearest(X, C)

def run_suite(name, method, shops=None, fixed=True):
    """method(df, k) -> (k, labels). Prints per shop auto-k and k=truth ARIs, plus baseline."""
    shops = shops or SUITE + EXTRA
    rows = []
    print(f"\n=== {name} ===")
    print(f"{'shop':<22}{'tk':>3} | {'base k':>6} {'ARI':>6} | {'k':>3} {'ARI':>6} {'sec':>5} | {'ARI@tk':>6} | maxshare")
    for shop in shops:
        df = load(shop)
        _, _, tk = truth(df)
        bk, bl = baseline(df)
        t0 = time.perf_counter(); k, lab = method(df, None); sec = time.perf_counter() - t0
        a = ari(df, lab)
        afix = ari(df, method(df, tk)[1]) if (fixed and tk) else float("nan")
        share = np.bincount(lab).max() / len(lab)
        bshare = np.bincount(bl).max() / len(bl)
        r = dict(shop=shop, tk=tk, bk=bk, bari=ari(df, bl), k=k, ari=a, sec=sec, afix=afix, share=share, bshare=bshare)
        rows.append(r)
        print(f"{shop:<22}{str(tk):>3} | {bk:>6} {r['bari']:6.3f} | {k:>3} {a:6.3f} {sec:5.1f} | {afix:6.3f} | {share:.2f} (base {bshare:.2f})", flush=True)
    R = pd.DataFrame(rows)
    S = R[R.shop.isin(SUITE)]
    def summ(ac, kc):
        return f"mean {S[ac].mean():.3f} lowest {S[ac].min():.3f} exact-k {np.mean(S[kc]==S.tk):.0%}"
    demo = R[R.shop == "demo"]; cd = R[R.shop == "cdnow"]
    print(f"BASELINE : {summ('bari','bk')}  demo {demo.bari.iloc[0] if len(demo) else float('nan'):.3f}  cdnow k {cd.bk.iloc[0] if len(cd) else '-'} max share {cd.bshare.iloc[0] if len(cd) else float('nan'):.2f}")
    print(f"{name[:9]:<9}: {summ('ari','k')}  demo {demo.ari.iloc[0] if len(demo) else float('nan'):.3f}  cdnow k {cd.k.iloc[0] if len(cd) else '-'} max share {cd.share.iloc[0] if len(cd) else float('nan'):.2f}")
    if fixed:
        print(f"{'@k=truth':<9}: mean {S.afix.mean():.3f} lowest {S.afix.min():.3f}  demo {demo.afix.iloc[0] if len(demo) else float('nan'):.3f}")
    R.to_csv(DATA / f"results_{name}.csv", index=False)
    return R

# ---------- feature pools ----------
DEFAULT = [("order_count", "log1p"), ("average_order_value", "log1p"), ("recency_days", "log1p"),
           ("days_since_first_order", "log1p"), ("discount_order_share", "id"), ("sessions_per_order", "log1p"),
           ("cart_abandonment_rate", "id"), ("mobile_session_share", "id"), ("has_adopted_app", "bool"), ("open_rate", "id")]
EXTRA_FEATURES = [("mean_days_between_orders", "log1p"), ("stddev_days_between_orders", "log1p"),
                  ("favourite_category_spend_share", "id"), ("category_concentration", "id"),
                  ("average_price_index", "id"), ("click_rate", "id"), ("weekend_order_share", "id"),
                  ("return_cancel_rate", "id"), ("average_basket_size", "log1p"), ("distinct_categories", "log1p"),
                  ("premium_item_share", "id"), ("value_item_share", "id"), ("discount_sensitivity", "id"),
                  ("browse_to_buy_conversion", "id"), ("primary_order_channel_share", "id")]

def raw(df, col, kind):
    if col not in df.columns:
        return np.full(len(df), np.nan)
    v = df[col]
    if kind == "bool":
        return (v == True).fillna(False).to_numpy(dtype=float)
    x = pd.to_numeric(v, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.log1p(np.clip(x, 0, None)) if kind == "log1p" else x

def robust_matrix(df, feats):
    cols = []
    for c, kind in feats:
        x = raw(df, c, kind); f = x[~np.isnan(x)]
        if f.size == 0:
            cols.append(np.zeros(len(df))); continue
        q1, med, q3 = np.percentile(f, [25, 50, 75]); s = q3 - q1
        if not s > 0: s = np.std(f)
        if not s > 0: s = 1.0
        cols.append(np.nan_to_num((x - med) / s, nan=0.0))
    return np.column_stack(cols)

def sel_rows(n, size=10_000, seed=42):
    return np.arange(n) if n <= size else np.sort(np.random.default_rng(seed).choice(n, size, False))

def auto_k_kmeans(X, k=None, kmin=3, kmax=10, seed=42, gates=True):
    """The model's procedure: silhouette over k on <=10k rows (3 inits), gates, refine on all rows."""
    if k:
        km = KMeans(k, n_init=10, random_state=seed).fit(X); return k, km.cluster_centers_
    rows = sel_rows(len(X)); Xs = X[rows]
    best, cents, scores, allowed = None, {}, {}, []
    for kk in range(kmin, kmax + 1):
        km = KMeans(kk, n_init=3, random_state=seed).fit(Xs)
        cents[kk] = km.cluster_centers_
        scores[kk] = silhouette_score(Xs, km.labels_, sample_size=min(len(Xs), 4000), random_state=seed)
        sh = np.bincount(km.labels_, minlength=kk) / len(Xs)
        if not gates or (sh.min() >= 0.02 and sh.max() <= 0.8):
            allowed.append(kk)
    pool = allowed or list(scores)
    kk = max(pool, key=lambda q: (round(scores[q], 12), -q))
    km = KMeans(kk, init=cents[kk], n_init=1, random_state=seed).fit(X)
    return kk, km.cluster_centers_

def rank_matrix(df, feats, kind="uniform"):
    """Copula transform per feature: mid-rank / n (ties averaged) -> uniform(0,1)-ish, centred;
    'normal' maps to normal scores. Nulls -> 0 (the centre). In SQL this is a per-feature
    lookup (a quantile table) -- NOT a (x-centre)/scale transform."""
    from scipy.stats import rankdata, norm
    cols = []
    for c, k in feats:
        x = raw(df, c, k); ok = ~np.isnan(x); out = np.zeros(len(df))
        if ok.sum() > 1 and np.ptp(x[ok]) > 0:
            u = (rankdata(x[ok]) - 0.5) / ok.sum()
            out[ok] = norm.ppf(u) if kind == "normal" else (u - 0.5) * np.sqrt(12)
        cols.append(out)
    return np.column_stack(cols)

ALL = DEFAULT + EXTRA_FEATURES

def r2(X, lab):
    """Per-feature between/total ratio of a partition (scale-free)."""
    tot = X.var(0) * len(X)
    wit = np.zeros(X.shape[1])
    for g in np.unique(lab):
        Z = X[lab == g]; wit += ((Z - Z.mean(0)) ** 2).sum(0)
    return np.where(tot > 1e-12, 1 - wit / np.maximum(tot, 1e-12), 0.0)

def choose_k_generic(Xs, fit_k, kmin=3, kmax=10, seed=42):
    """fit_k(Xs, k) -> (labels, space) ; silhouette of labels in `space`, gates as in the model."""
    scores, fits, allowed = {}, {}, []
    for kk in range(kmin, kmax + 1):
        lab, space = fit_k(Xs, kk)
        fits[kk] = (lab, space)
        if len(np.unique(lab)) < 2:
            scores[kk] = -1; continue
        scores[kk] = silhouette_score(space, lab, sample_size=min(len(Xs), 4000), random_state=seed)
        sh = np.bincount(lab, minlength=kk) / len(Xs)
        if sh.min() >= 0.02 and sh.max() <= 0.8:
            allowed.append(kk)
    pool = allowed or list(scores)
    kk = max(pool, key=lambda q: (round(scores[q], 12), -q))
    return kk, fits[kk], scores

def affinity_feats(df):
    return [(c, "share") for c in sorted(df.columns) if c.startswith("affinity_")]

def std_matrix(df, feats):
    cols = []
    for c, kind in feats:
        x = raw(df, c, "id" if kind == "share" else kind); f = x[~np.isnan(x)]
        s = np.std(f) if f.size else 1.0
        cols.append(np.nan_to_num((x - (np.median(f) if f.size else 0)) / (s if s > 0 else 1.0), nan=0.0))
    return np.column_stack(cols) if cols else np.zeros((len(df), 0))

def matrix(df, feats, scaling="robust"):
    """robust for ordinary features; affinity shares ('share') always by std (their IQR is ~0)."""
    a = [f for f in feats if f[1] != "share"]; b = [f for f in feats if f[1] == "share"]
    parts = [robust_matrix(df, a) if scaling == "robust" else std_matrix(df, a)]
    if b: parts.append(std_matrix(df, b))
    return np.column_stack(parts)
