"""M6: the M5 partitions (all_rid, F = 0.1, S = 5) for k = 3..10 fitted once per shop, then several
k-selection rules compared on the same fits:
  sil_diag : silhouette in the diagonal-weighted space (= M5);
  sil_white: silhouette in the space whitened by the ridge-regularised pooled within covariance;
  bic      : m/2 * logdet W_reg(k) + (k*d + d(d+1)/2) * log(m)/2   (classification BIC, shared cov);
  jratio   : largest k whose drop logdet W(k-1) - logdet W(k) >= 0.5 * mean drop over 3..10 ... (elbow)
All with the model's gates (share 0.02..0.8)."""
import sys, pickle
import m5_fr_fast as M
from common import *
RULES = ["sil_diag", "sil_white", "bic", "elbow"]
rows = []
for shop in SUITE + EXTRA:
    df = load(shop); _, _, tk = truth(df)
    Z = M.prep(df); r = sel_rows(len(Z), 4000); Zs = Z[r]; m, dd = Zs.shape
    t0 = time.perf_counter(); fits = {kk: M.fit(Zs, kk) for kk in range(3, 11)}; sec = time.perf_counter() - t0
    sc = {rule: {} for rule in RULES}; ok = []
    for kk, (lab, J) in fits.items():
        w = M.diag_w(Zs, lab, kk)
        sc["sil_diag"][kk] = silhouette_score(Zs * np.sqrt(w), lab, random_state=42)
        C = M.means(Zs, lab, kk); R = Zs - C[lab]
        L = np.linalg.cholesky(np.linalg.inv(R.T @ R / m + M.F * np.eye(dd)))
        sc["sil_white"][kk] = silhouette_score(Zs @ L, lab, random_state=42)
        sc["bic"][kk] = -(m / 2 * J + (kk * dd) * np.log(m) / 2)
        sh = np.bincount(lab, minlength=kk) / m
        if sh.min() >= 0.02 and sh.max() <= 0.8: ok.append(kk)
    Js = {kk: fits[kk][1] for kk in fits}
    drops = {kk: Js[kk - 1] - Js[kk] for kk in range(4, 11)}; md = np.mean(list(drops.values()))
    sc["elbow"] = {kk: (1.0 if kk == 3 or drops[kk] >= 1.0 * md else 0.0) + kk * 1e-3 for kk in fits}
    # elbow: largest k such that every step up to it dropped >= mean drop
    kel = 3
    for kk in range(4, 11):
        if drops[kk] >= md: kel = kk
        else: break
    pool = ok or list(fits)
    out = dict(shop=shop, tk=tk, sec=sec)
    for rule in RULES:
        kk = kel if rule == "elbow" else max(pool, key=lambda q: (sc[rule][q], -q))
        if kk not in pool: kk = max([q for q in pool if q <= kk] or pool)
        w = M.diag_w(Zs, fits[kk][0], kk); C = M.means(Zs, fits[kk][0], kk)
        lab_all = M.near(Z * np.sqrt(w), C * np.sqrt(w))
        out[rule] = (kk, ari(df, lab_all), np.bincount(lab_all).max() / len(lab_all))
    rows.append(out)
    print(f"{shop:<22}{str(tk):>4} " + "  ".join(f"{rule} {out[rule][0]:>2} {out[rule][1]:.3f}" for rule in RULES) + f"  ({sec:.1f}s)", flush=True)
R = pd.DataFrame(rows); S_ = R[R.shop.isin(SUITE)]
for rule in RULES:
    a = np.array([v[1] for v in S_[rule]]); ks = np.array([v[0] for v in S_[rule]])
    d = R[R.shop == "demo"][rule].iloc[0]; c = R[R.shop == "cdnow"][rule].iloc[0]
    print(f"{rule:<10} mean {a.mean():.3f} lowest {a.min():.3f} exact-k {np.mean(ks == S_.tk.to_numpy()):.0%} demo {d[1]:.3f} cdnow k {c[0]} max share {c[2]:.2f}")
