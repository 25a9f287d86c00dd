"""DIAGNOSTIC ONLY (uses truth): nearest TRUE-persona-mean ceiling (w = 1/within-variance) for
candidate feature pools: ALL (25 numeric), ALL + affinity_* (from int_segmentation__psychographics),
ALL with recency_days untransformed, ALL+affinity with recency untransformed."""
from common import *
res = {}
ALL_RID = [(c, "id" if c == "recency_days" else k) for c, k in ALL]
for shop in SUITE + ["demo"]:
    df = load(shop); lab, keep, tk = truth(df); out = []
    for feats in (DEFAULT, ALL, ALL + affinity_feats(df), ALL_RID, ALL_RID + affinity_feats(df)):
        X = matrix(df, feats); Xk, lk = X[keep], lab[keep]; groups = np.unique(lk)
        C = np.stack([Xk[lk == g].mean(0) for g in groups])
        wit = sum(((Xk[lk == g] - Xk[lk == g].mean(0)) ** 2).sum(0) for g in groups) / len(Xk)
        w = 1 / np.maximum(wit, 1e-6)
        out.append(adjusted_rand_score(lk, nearest(Xk * np.sqrt(w), C * np.sqrt(w))))
    res[shop] = out
    print(f"{shop:<22}" + " ".join(f"{a:.3f}" for a in out), flush=True)
A = np.array([res[s] for s in SUITE])
print("cols: DEFAULT, ALL, ALL+aff, ALL(recency id), ALL(recency id)+aff")
print("mean", A.mean(0).round(3)); print("min ", A.min(0).round(3)); print("demo", np.round(res["demo"], 3))
