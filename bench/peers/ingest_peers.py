"""Peer import of the API's .jsonl.gz log files: DuckDB read_json_auto into a table, or pandas read_json.

    python ingest_peers.py duckdb|pandas <folder>

Prints one JSON object: records, seconds (wall), cpu_seconds, peak_rss_mb, version. Run from bench/peers.ts.
"""

import glob
import json
import os
import resource
import sys
import time


def main() -> None:
    peer, folder = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(folder, "*.jsonl.gz")))
    if not files:
        raise SystemExit(f"no .jsonl.gz files in {folder}")
    wall, cpu = time.perf_counter(), time.process_time()
    if peer == "duckdb":
        import duckdb

        version = duckdb.__version__
        con = duckdb.connect(":memory:")
        con.execute("SET threads = 2")
        pattern = os.path.join(folder, "*.jsonl.gz").replace("'", "''")
        con.execute(f"CREATE TABLE logs AS SELECT * FROM read_json_auto('{pattern}', format = 'newline_delimited')")
        records = con.execute("SELECT count(*) FROM logs").fetchone()[0]
    elif peer == "pandas":
        import pandas as pd

        version = pd.__version__
        frames = [pd.read_json(f, lines=True, compression="gzip") for f in files]
        records = int(sum(len(f) for f in frames))
        pd.concat(frames, ignore_index=True)
    else:
        raise SystemExit(f"unknown peer {peer}")
    seconds = time.perf_counter() - wall
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peer": peer, "version": version, "records": records, "seconds": seconds,
                      "cpu_seconds": cpu_seconds, "peak_rss_mb": round(peak)}))


if __name__ == "__main__":
    main()
