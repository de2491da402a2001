"""Fleet: scan many logs into a store, then report what fails most (`errdiag scan`, `errdiag report`).

`errdiag.fleet.scan` (the per-log function) needs only errdiag; the stores, the report and the Dask
engine need the `fleet` extra (`pip install 'errdiag[fleet]'`: duckdb, pyarrow, dask[distributed], fsspec).
"""
