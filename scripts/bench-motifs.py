"""numpy float32 brute force for `npm run bench:motifs`: the baseline the TypeScript index must beat.

Reads the very matrix the TypeScript side indexed (float32 rows in a file) and the queries, and for
each query times the exact top 10 the plain way: one matrix-vector product over every stored vector
(LACLIP: s = beta * <g,t> + (1 - beta) * sum_j w_j <v_j,t> from the same products), argpartition,
sort. Prints JSON: per-query milliseconds and top-10 rows.

usage: python3 bench-motifs.py MODE VECTORS QUERIES DIM K [WEIGHTS BETA CROPS]
"""
import json
import sys
import time

import numpy as np


def main() -> None:
    mode, vectors_path, queries_path, dim, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    x = np.fromfile(vectors_path, dtype="<f4").reshape(-1, dim)
    queries = np.fromfile(queries_path, dtype="<f4").reshape(-1, dim)
    if mode == "laclip":
        weights_path, beta, crops = sys.argv[6], float(sys.argv[7]), int(sys.argv[8])
        w = np.fromfile(weights_path, dtype="<f4").reshape(-1, crops)
    times, tops = [], []
    for t in queries:
        start = time.perf_counter()
        s = x @ t
        if mode == "laclip":
            s = s.reshape(-1, crops + 1)
            s = beta * s[:, 0] + (1 - beta) * (w * s[:, 1:]).sum(axis=1)
        part = np.argpartition(-s, k)[:k]
        top = part[np.argsort(-s[part], kind="stable")]
        times.append((time.perf_counter() - start) * 1000)
        tops.append(top.tolist())
    json.dump({"times_ms": times, "tops": tops, "matrix_bytes": int(x.nbytes), "numpy": np.__version__}, sys.stdout)


if __name__ == "__main__":
    main()
