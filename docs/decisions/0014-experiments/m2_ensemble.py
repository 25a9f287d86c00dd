"""M2: subspace clustering ensemble + consensus (evidence accumulation, Fred & Jain 2005).
On a seeded sample of m <= 4000 fit rows: B = 100 k-means runs (1 init), each on a random
subset of q = 2 robust-scaled features with k_b ~ U{2..10}; co-association matrix A (m x m);
consensus = average-linkage on 1 - A, cut at k (auto: silhouette on 1 - A over k = 3..10, gates).
Then express as nearest centroid: w_j = R2_j(consensus)^p (p = 2), centroids = consensus-cluster
means in the weighted space, optionally refined by weighted k-means on all rows (REFINE)."""
import sys
from common import *
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import squareform
FEATS = {"default": DEFAULT, "all": ALL}[sys.argv[1] if len(sys.argv) > 1 else "default"]
REFINE = (sys.argv[2] if len(sys.argv) > 2 else "norefine") == "refine"
Q = int(sys.argv[3]) if len(sys.argv) > 3 else 2
B, M, P = 100, 4000, 2.0
def consensus(Xs, seed=42):
    rng = np.random.default_rng(seed); m, d = Xs.shape
    A = np.zeros((m, m), dtype=np.float32)
    for b in range(B):
        cols = rng.choice(d, min(Q, d), replace=False); kb = int(rng.integers(2, 11))
        lab = KMeans(kb, n_init=1, random_state=int(rng.integers(1 << 30))).fit(Xs[:, cols]).labels_
        A += (lab[:, None] == lab[None, :])
    D = 1 - A / B; np.fill_diagonal(D, 0)
    Z = linkage(squareform(D, checks=False), method="average")
    return D, Z
def method(df, k):
    X = robust_matrix(df, FEATS)
    rows = np.sort(np.random.default_rng(42).choice(len(X), min(M, len(X)), replace=False))
    Xs = X[rows]
    D, Z = consensus(Xs)
    def cut(kk): return fcluster(Z, kk, criterion="maxclust") - 1
    if not k:
        scores, allowed = {}, []
        for kk in range(3, 11):
            lab = cut(kk); nk = len(np.unique(lab))
            if nk < 2: scores[kk] = -1; continue
            scores[kk] = silhouette_score(D, lab, metric="precomputed")
            sh = np.bincount(lab) / len(lab)
            if nk == kk and sh.min() >= 0.02 and sh.max() <= 0.8: allowed.append(kk)
        pool = allowed or list(scores)
        k = max(pool, key=lambda q: (round(scores[q], 12), -q))
    lab = cut(k); k = len(np.unique(lab))
    w = np.clip(r2(Xs, lab), 0, None) ** P; w = w * X.shape[1] / max(w.sum(), 1e-12)
    Xw = X * np.sqrt(w)
    C = np.stack([Xw[rows][lab == g].mean(0) for g in range(k)])
    if REFINE:
        C = KMeans(k, init=C, n_init=1).fit(Xw).cluster_centers_
    return k, nearest(Xw, C)
run_suite(f"m2_ens_{sys.argv[1] if len(sys.argv) > 1 else 'default'}_{'refine' if REFINE else 'norefine'}_q{Q}", method)
