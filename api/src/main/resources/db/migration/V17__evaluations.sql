-- Evaluations (issue 18): many samples of many problems, each made into a submission of the
-- evaluation's key in the background, as its quotas allow, and reported as pass@k.
create table evaluations (
    id           uuid primary key,
    api_key_id   uuid        not null references api_keys (id),
    -- The role the key had: the submissions are made as that caller.
    api_key_role text        not null,
    runtime      text        not null,
    ks           text        not null, -- the k of pass@k, as JSON
    status       text        not null check (status in ('running', 'completed', 'cancelled')),
    message      text,
    created_at   timestamptz not null default now(),
    finished_at  timestamptz
);
create index evaluations_by_key on evaluations (api_key_id, created_at desc);
create index evaluations_running on evaluations (created_at) where status = 'running';

-- How each problem's samples become submissions, stored once: the problem without its samples (its
-- tests, check, or prompt and test), with the evaluation's runtime, limits and compare, as JSON.
create table evaluation_problems (
    evaluation_id uuid    not null references evaluations (id) on delete cascade,
    problem_index integer not null,
    problem_id    text    not null,
    template      text    not null,
    primary key (evaluation_id, problem_index)
);

-- One row per sample, in the order given; position counts over the whole evaluation.
create table evaluation_samples (
    evaluation_id uuid    not null references evaluations (id) on delete cascade,
    position      integer not null,
    problem_index integer not null,
    problem_id    text    not null,
    sample_index  integer not null,
    -- The sample as given, until it is submitted; then ''.
    sample        text    not null,
    submission_id uuid references submissions (id),
    -- Why the server would not take it, when it would not: it counts as done, and not correct.
    refused       text,
    primary key (evaluation_id, position)
);
create index evaluation_samples_pending on evaluation_samples (evaluation_id, position)
    where submission_id is null and refused is null;
