-- Per-key sandbox-time budgets: the worst case one submission may have (tests x runs x wall limit,
-- plus the compile's), and how much worst-case time the key's submissions may add up to per minute
-- and per hour.
alter table api_keys
    add column max_submission_sandbox_ms bigint not null default 120000 check (max_submission_sandbox_ms between 100 and 100000000),
    add column sandbox_ms_per_minute     bigint not null default 600000 check (sandbox_ms_per_minute between 100 and 10000000000),
    add column sandbox_ms_per_hour       bigint not null default 7200000 check (sandbox_ms_per_hour between 100 and 100000000000);

-- Each submission's worst-case sandbox time, which the per-minute and per-hour budgets add up
-- (through submissions_by_key); null for submissions from before budgets, counted as none.
alter table submissions add column sandbox_ms bigint;
