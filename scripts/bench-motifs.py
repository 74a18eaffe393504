"""numpy float32 brute force for `npm run bench:motifs`: the baseline the TypeScript index must beat.

Reads the very matrix the TypeScript side indexed (float32 rows in a file) and the queries, and for
each query times the exact top 10 the plain way: one matrix-vector product over every stored vector
(LACLIP: s = beta * <g,t> + (1 - beta) * sum_j w_j <v_j,t> from the same products), argpartition,
sort. Prints JSON: per-query milliseconds, top-10 rows, and which numpy and BLAS ran with how many
threads (the BLAS is held to THREADS, the index's scan threads, so both sides get the same cores).

usage: python3 bench-motifs.py THREADS MODE VECTORS QUERIES DIM K [WEIGHTS BETA CROPS]
       python3 bench-motifs.py THREADS --info
"""
import json
import os
import sys
import time

# Before numpy loads: OpenBLAS sizes its pool from these at import.
os.environ.setdefault("OPENBLAS_NUM_THREADS", sys.argv[1])
os.environ.setdefault("OMP_NUM_THREADS", sys.argv[1])

import numpy as np  # noqa: E402


def build_blas() -> str:
    """The BLAS numpy was built against, from its build config (numpy 1.26+ as dicts, older as info)."""
    try:
        b = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{b.get('name', 'unknown')} {b.get('version', '')}".strip()
    except TypeError:
        libs = np.__config__.get_info("blas_opt_info").get("libraries", [])
        return f"{', '.join(libs) or 'unknown'} (numpy build info)"


def blas_info(threads: int) -> dict:
    """numpy's version and its BLAS as threadpoolctl sees it (else numpy's build config)."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits

        threadpool_limits(threads)
        libs = [f"{i['internal_api']} {i['version']} ({i.get('architecture') or '?'}), {i['num_threads']} threads" for i in threadpool_info() if i["user_api"] == "blas"]
        blas = "; ".join(libs) or "none found by threadpoolctl"
    except ImportError:
        blas = f"{build_blas()} (threadpoolctl missing: thread count not checked)"
    return {"numpy": np.__version__, "numpy_path": os.path.dirname(np.__file__), "blas": blas}


def main() -> None:
    threads = int(sys.argv[1])
    info = blas_info(threads)
    if sys.argv[2] == "--info":
        json.dump(info, sys.stdout)
        return
    mode, vectors_path, queries_path, dim, k = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    x = np.fromfile(vectors_path, dtype="<f4").reshape(-1, dim)
    queries = np.fromfile(queries_path, dtype="<f4").reshape(-1, dim)
    if mode == "laclip":
        weights_path, beta, crops = sys.argv[7], float(sys.argv[8]), int(sys.argv[9])
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
    json.dump({"times_ms": times, "tops": tops, "matrix_bytes": int(x.nbytes), **info}, sys.stdout)


if __name__ == "__main__":
    main()
