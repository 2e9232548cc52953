-- Where a submission's time went, in ms (StageTimings in openapi.yaml): the queue wait once it started,
-- the executor's figures once it completed. Plain columns, so that they can be averaged in SQL.
alter table submissions
    add column queue_wait_ms bigint,
    add column compile_ms bigint,
    add column create_ms bigint,
    add column start_ms bigint,
    add column run_ms bigint,
    add column teardown_ms bigint;
