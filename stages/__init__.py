"""The pipeline's stages: plain typed functions over records, with no Prefect and no file paths.

ingest → cleanup → outline + metadata → metrics → quality. `flows/` wires them into tasks.
"""
