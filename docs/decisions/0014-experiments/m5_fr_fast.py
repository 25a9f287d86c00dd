"""M5 (= M4, faster search): classification-EM of a mixture with a SHARED FULL covariance
(Friedman-Rubin, log det W, ridge F*I in units of each feature's total std), expressed as DIAGONAL
nearest centroid with w_j = 1 / max(pooled within-variance ratio_j, F).
Defaults: F = 0.1; binary features are left out of the search (they are in the final weights);
starts = plain k-means (1 init) + S = 5 k-means on Dirichlet(1)-reweighted features + one start per
non-binary feature: its k quantile bins; <= 25 CEM iterations; keep lowest log det W.
Auto k over 3..10: silhouette (<= 4000 rows) in each k's diagonal-weighted space, gates as the model.
Fit on <= 4000 sampled rows (O(m d^2) per iteration; nothing quadratic in rows)."""
import sys
from common import *
POOL = sys.argv[1] if len(sys.argv) > 1 else "all_rid"
F = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
S = int(sys.argv[3]) if len(sys.argv) > 3 else 5
ONLYFIXED = (sys.argv[4] if len(sys.argv) > 4 else "") == "fixedonly"
RID = lambda fs: [(c, "id" if c == "recency_days" else k) for c, k in fs]
def feats(df):
    return {"default": DEFAULT, "default_rid": RID(DEFAULT), "all": ALL, "all_rid": RID(ALL),
            "all_rid_aff": RID(ALL) + affinity_feats(df)}[POOL]
def means(Z, lab, k):
    cnt = np.bincount(lab, minlength=k).astype(float)
    M = np.zeros((k, Z.shape[1])); np.add.at(M, lab, Z)
    return M / np.maximum(cnt, 1)[:, None]
def near(Y, C):
    return (-2 * Y @ C.T + (C ** 2).sum(1)[None]).argmin(1)
def cem(Z, lab, k, iters=25):
    d = Z.shape[1]
    for _ in range(iters):
        C = means(Z, lab, k); R = Z - C[lab]
        L = np.linalg.cholesky(np.linalg.inv(R.T @ R / len(Z) + F * np.eye(d)))
        new = near(Z @ L, C @ L)
        if (new == lab).all(): break
        lab = new
    C = means(Z, lab, k); R = Z - C[lab]
    return lab, float(np.linalg.slogdet(R.T @ R / len(Z) + F * np.eye(d))[1])
def fit(Z, k, seed=42):
    Z = Z[:, [len(np.unique(Z[:, j])) > 2 for j in range(Z.shape[1])]]
    rng = np.random.default_rng(seed); d = Z.shape[1]; starts = []
    for s in range(S + 1):
        v = np.ones(d) if s == 0 else rng.dirichlet(np.ones(d)) * d
        starts.append(KMeans(k, n_init=1, random_state=int(rng.integers(1 << 30))).fit(Z * np.sqrt(v)).labels_)
    for j in range(d):
        q = np.quantile(Z[:, j], np.linspace(0, 1, k + 1)[1:-1])
        lab0 = np.searchsorted(q, Z[:, j], side="right")
        if len(np.unique(lab0)) == k: starts.append(lab0)
    best = None
    for lab0 in starts:
        lab, J = cem(Z, lab0, k)
        if len(np.unique(lab)) < k: continue
        if best is None or J < best[1]: best = (lab, J)
    return best
def diag_w(Z, lab, k):
    C = means(Z, lab, k); r = ((Z - C[lab]) ** 2).mean(0)
    return 1 / np.maximum(r, F)
def prep(df):
    X = matrix(df, feats(df)); X = X[:, X.std(0) > 1e-9]
    return X / X.std(0)
def method(df, k):
    Z = prep(df); rows = sel_rows(len(Z), 4000); Zs = Z[rows]
    if k:
        lab, J = fit(Zs, k)
    else:
        if ONLYFIXED: return 0, np.zeros(len(Z), int)
        store = {}
        def f(Y, kk):
            b = fit(Y, kk); store[kk] = b
            if b is None: return np.zeros(len(Y), int), Y
            return b[0], Y * np.sqrt(diag_w(Y, b[0], kk))
        k, _, _ = choose_k_generic(Zs, f); lab, J = store[k]
    w = diag_w(Zs, lab, k); C = means(Zs, lab, k)
    return k, near(Z * np.sqrt(w), C * np.sqrt(w))
if __name__ == "__main__":
    run_suite(f"m5_{POOL}_F{F:g}_S{S}", method)
