-- Sessions: one sandbox that lives across several commands. The executor that holds one is its
-- only live state; these rows are the record the api answers from.
create table sessions (
    id                   uuid primary key,
    api_key_id           uuid        not null references api_keys (id) on delete cascade,
    runtime              text        not null,
    memory_mb            bigint      not null,
    command_wall_time_ms bigint      not null,
    idle_timeout_s       integer     not null,
    max_lifetime_s       integer     not null,
    status               text        not null check (status in ('starting', 'ready', 'ended')),
    executor             text,
    incarnation          text,
    created_at           timestamptz not null default now(),
    ready_at             timestamptz,
    expires_at           timestamptz not null,
    ended_at             timestamptz,
    ended_reason         text check (ended_reason in ('deleted', 'idle_timeout', 'max_lifetime', 'out_of_memory',
                                                      'executor_lost', 'start_failed', 'command_unkillable')),
    message              text,
    -- The lifetime it had, once it ended: what it counts against its key's sandbox-time budgets (while
    -- it is open, the time it has lived so far counts instead).
    sandbox_ms           bigint      not null
);
create index sessions_by_key on sessions (api_key_id, created_at desc);
create index sessions_open on sessions (executor) where status <> 'ended';

create table session_commands (
    id          uuid primary key,
    session_id  uuid        not null references sessions (id) on delete cascade,
    status      text        not null check (status in ('running', 'finished', 'lost')),
    argv        jsonb       not null,
    created_at  timestamptz not null default now(),
    finished_at timestamptz,
    -- The finished command as the API shows it, output included.
    result      jsonb
);
create index session_commands_by_session on session_commands (session_id, created_at);
