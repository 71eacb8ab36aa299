-- Staging views over the current snapshot's Parquet files: one per landed table, columns as in
-- CONTRACT.md. `{data}` is replaced by the warehouse's `current` folder when the views are built.

-- grain: one row per landed file. A byte-identical copy of a landed file is the same report under
-- a second name: it has its own row, with the original's report_id and `duplicate_of` naming the
-- original's source_path. Count reports with `count(distinct report_id)` or `duplicate_of IS NULL`.
CREATE OR REPLACE VIEW reports AS
WITH landed AS (
    SELECT report_id, source_path, source_format, source_encoding, repairs, script, title, issuing_body,
           region, province, admin_level, report_year, publish_date, doc_number, text, n_chars,
           page_meta, header_meta, run_id, pipeline_version
    FROM read_parquet('{data}/reports/*.parquet', union_by_name = true)
),
copies AS (
    SELECT source_path, report_id
    FROM read_parquet('{data}/sources/*.parquet', union_by_name = true)
    WHERE status = 'duplicate'
)
SELECT landed.*, NULL::VARCHAR AS duplicate_of FROM landed
UNION ALL
SELECT l.* REPLACE (c.source_path AS source_path), l.source_path AS duplicate_of
FROM copies c JOIN landed l USING (report_id);

-- grain: one row per heading of a report's outline
CREATE OR REPLACE VIEW sections AS
SELECT * FROM read_parquet('{data}/sections/*.parquet', union_by_name = true);

-- grain: one row per quantity stated in a report
CREATE OR REPLACE VIEW metrics AS
SELECT * FROM read_parquet('{data}/metrics/*.parquet', union_by_name = true);

-- grain: one row per top keyword of a report (TF-IDF over jieba words; rank 1 = heaviest)
CREATE OR REPLACE VIEW terms AS
SELECT * FROM read_parquet('{data}/terms/*.parquet', union_by_name = true);

-- grain: one row per file under RAW_DIR that did not land
CREATE OR REPLACE VIEW quarantine AS
SELECT * FROM read_parquet('{data}/quarantine/*.parquet', union_by_name = true);

-- grain: one row per flow run
CREATE OR REPLACE VIEW runs AS
SELECT * FROM read_parquet('{data}/runs/*.parquet', union_by_name = true);

-- grain: one row per expectation evaluated on one batch
CREATE OR REPLACE VIEW quality_results AS
SELECT * FROM read_parquet('{data}/quality_results/*.parquet', union_by_name = true);

-- grain: one row per file seen under RAW_DIR (the incremental state)
CREATE OR REPLACE VIEW sources AS
SELECT * FROM read_parquet('{data}/sources/*.parquet', union_by_name = true);
