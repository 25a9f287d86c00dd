"""Dump each shop's customer_features (order_count>=1) + psychographic affinities + truth."""
from pathlib import Path
import duckdb, pandas as pd
ROOT = Path(__file__).resolve().parents[3]
BQ = ROOT / "target" / "bench_quality"
(ROOT / "target" / "kexp").mkdir(parents=True, exist_ok=True)
for folder in sorted(p for p in BQ.iterdir() if (p / "shop.duckdb").exists()):
    c = duckdb.connect(str(folder / "shop.duckdb"), read_only=True)
    f = c.sql("select * from main_segmentation.segmentation__customer_features where order_count >= 1").df()
    try:
        ps = c.sql("select * from main_segmentation_intermediate.int_segmentation__psychographics").df()
        aff = [x for x in ps.columns if x.startswith("affinity_")]
        f = f.merge(ps[["customer_id"] + aff], on="customer_id", how="left")
    except Exception as e:
        print("no psycho", folder.name, e)
    c.close()
    f = f.sort_values("customer_id", kind="mergesort").reset_index(drop=True)
    gt = folder / "data" / "ground_truth.csv"
    if gt.exists():
        t = pd.read_csv(gt).set_index("customer_id")["persona"]
        f["__truth"] = t.reindex(f["customer_id"]).to_numpy().astype(object)
    else:
        f["__truth"] = None
    for col in f.columns:
        if str(f[col].dtype).startswith("decimal") or f[col].dtype == object and col not in ("customer_id","__truth"):
            pass
    # decimals -> float
    for col in f.columns:
        if f[col].dtype == object and col != "__truth":
            try:
                import decimal
                if any(isinstance(v, decimal.Decimal) for v in f[col].dropna().head(5)):
                    f[col] = pd.to_numeric(f[col], errors="coerce").astype(float)
            except Exception:
                pass
    f.to_pickle(ROOT / "target" / "kexp" / f"{folder.name}.pkl")
    print(folder.name, f.shape, f["__truth"].nunique() if f["__truth"].notna().any() else "no truth")
