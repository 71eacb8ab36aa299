"""The warehouse: Parquet files per table in an atomically swapped snapshot, DuckDB views on top."""
