"""Compare ways of choosing k on the scenario suite (the table in docs/decisions/0014).

    python scripts/compare_k_selection.py [--work target/bench_quality]

Reads the shops that scripts/bench_segment_quality.py built (their
segmentation__customer_features and ground truth), fits the cluster model's
own code (`fit_model`) with each k-selection method and scaling, assigns
customers to the nearest centroid, and prints chosen k and ARI per shop, then
mean ARI, lowest ARI, exact-k share and the demo's ARI per configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "python"))

from conftest import load_module  # noqa: E402

from segmentation_scenarios.evaluate import FEATURES, frame  # noqa: E402

CONFIGS = [
    (method, scaling)
    for scaling in ("robust", "standard")
    for method in ("silhouette", "prediction_strength")
]


def fit_and_score(model, sample: pd.DataFrame, labels: np.ndarray, method: str, scaling: str):
    settings = model.read_settings({"cluster_k_method": method, "cluster_scaling": scaling})
    fit = model.fit_model(sample, len(sample), settings, None)
    matrix = model.transform(sample, json.loads(fit["feature_spec"].iloc[0]))
    centroids = np.stack([json.loads(c) for c in fit["centroid"]])
    nearest = ((matrix[:, None, :] - centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
    keep = pd.notna(labels) & (labels != "noise")
    return int(fit["k"].iloc[0]), float(adjusted_rand_score(labels[keep], nearest[keep]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench_quality")
    args = parser.parse_args()
    model = load_module(
        ROOT / "models" / "segments" / "segmentation__cluster_model.py", "cluster_model"
    )
    rows = []
    for folder in sorted(p for p in args.work.iterdir() if (p / "shop.duckdb").exists()):
        features = frame(folder / "shop.duckdb", f"select * from {FEATURES} where order_count >= 1")
        sample = features.sort_values("customer_id").reset_index(drop=True)
        truth = pd.read_csv(folder / "data" / "ground_truth.csv").set_index("customer_id")
        labels = truth["persona"].reindex(sample["customer_id"]).to_numpy().astype(object)
        true_k = len(set(labels[pd.notna(labels) & (labels != "noise")]))
        row = {"shop": folder.name, "true k": true_k}
        for method, scaling in CONFIGS:
            k, ari = fit_and_score(model, sample, labels, method, scaling)
            row[f"{method}/{scaling}"] = (k, ari)
        rows.append(row)
        cells = "  ".join(f"{k:>2} {ari:5.2f}" for k, ari in list(row.values())[2:])
        print(f"{folder.name:<22}{true_k:>3}  {cells}", flush=True)
    suite = [r for r in rows if r["shop"] != "demo"]
    demo = [r for r in rows if r["shop"] == "demo"]
    print()
    for method, scaling in CONFIGS:
        key = f"{method}/{scaling}"
        aris = [r[key][1] for r in suite]
        exact = np.mean([r[key][0] == r["true k"] for r in suite])
        demo_ari = f", demo {demo[0][key][1]:.3f}" if demo else ""
        print(
            f"{key:<32} mean ARI {np.mean(aris):.3f}, lowest {min(aris):.3f}, "
            f"exact k {exact:.0%}{demo_ari}"
        )


if __name__ == "__main__":
    main()
