-- What the program used, measured on the executor's host (CpuTimeMs and PeakMemoryKb in openapi.yaml):
-- plain columns, so that they can be aggregated in SQL. Each run of a repeated program, and the output
-- files asked for, as JSON written by the api (file contents base64-encoded).
alter table submissions
    add column cpu_time_ms bigint,
    add column peak_memory_kb bigint,
    add column run_results text,
    add column output_files text;
