-- API keys: only the SHA-256 of a key is stored.
create table api_keys (
    id          uuid primary key,
    name        text        not null,
    role        text        not null check (role in ('admin', 'submitter', 'viewer')),
    key_hash    bytea       not null unique,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create table submissions (
    id                     uuid primary key,
    api_key_id             uuid        not null references api_keys (id),
    status                 text        not null check (status in ('queued', 'running', 'completed')),
    runtime                text        not null,
    wall_time_limit_ms     bigint      not null,
    memory_limit_mb        bigint      not null,
    output_limit_bytes     bigint      not null,
    -- The queue message, kept so that the outbox relay can (re)publish it: the executor has no database access.
    job                    text        not null,
    verdict                text check (verdict in ('accepted', 'runtime_error', 'time_limit_exceeded',
                                                   'memory_limit_exceeded', 'output_limit_exceeded', 'internal_error')),
    exit_code              integer,
    signal                 text,
    stdout                 bytea,
    stdout_truncated_bytes bigint,
    stderr                 bytea,
    stderr_truncated_bytes bigint,
    wall_time_ms           bigint,
    message                text,
    executor               text,
    created_at             timestamptz not null,
    started_at             timestamptz,
    finished_at            timestamptz,
    check ((status = 'completed') = (verdict is not null))
);

create index submissions_by_key on submissions (api_key_id, created_at desc);

-- Enqueue intents, written in the same transaction as the submission: a row here is a job that
-- Redis may not have yet. The relay publishes it and deletes the row.
create table outbox (
    submission_id uuid primary key references submissions (id),
    created_at    timestamptz not null default now(),
    attempts      integer     not null default 0
);
