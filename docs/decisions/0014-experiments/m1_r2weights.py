"""M1: iterated scale-free saliency weights (Huang et al. 2005 / Modha-Spangler flavour).
Robust-scaled features X. Start w = 1. Repeat T times: k-means (3 inits) on X*sqrt(w);
R2_j = between/total of feature j under that partition; w_j = R2_j^p, normalised to sum d.
Auto k: the loop is run per k on the <=10k selection sample, silhouette in the final weighted
space picks k (gates as in the model); final: one weighted k-means from those centroids on all rows.
Assignment = nearest centroid in the weighted space (weights fold into the scale)."""
import sys
from common import *
P = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
FEATS = {"default": DEFAULT, "all": ALL}[sys.argv[2] if len(sys.argv) > 2 else "default"]
T = 6
def wk(X, k, seed=42):
    w = np.ones(X.shape[1]); d = X.shape[1]
    for _ in range(T):
        km = KMeans(k, n_init=3, random_state=seed).fit(X * np.sqrt(w))
        R = np.clip(r2(X, km.labels_), 0, None)
        w_new = R ** P; w_new = w_new * d / max(w_new.sum(), 1e-12)
        if np.allclose(w_new, w, atol=1e-3): break
        w = w_new
    km = KMeans(k, n_init=3, random_state=seed).fit(X * np.sqrt(w))
    return km.labels_, X * np.sqrt(w), w
def method(df, k):
    X = robust_matrix(df, FEATS)
    rows = sel_rows(len(X)); Xs = X[rows]
    if k:
        lab, sp, w = wk(Xs, k)
    else:
        store = {}
        def f(Z, kk):
            lab, sp, w = wk(Z, kk); store[kk] = w; return lab, sp
        k, (lab, sp), _ = choose_k_generic(Xs, f); w = store[k]
    Xw = X * np.sqrt(w)
    C = np.stack([sp[lab == g].mean(0) for g in range(k)])
    km = KMeans(k, init=C, n_init=1).fit(Xw)
    return k, nearest(Xw, km.cluster_centers_)
run_suite(f"m1_r2w_p{P:g}_{sys.argv[2] if len(sys.argv) > 2 else 'default'}", method)
