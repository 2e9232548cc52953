-- Per-key quotas, and the secret that signs a key's webhooks (HMAC-SHA256(key, 'crucible-webhook-v1')).
alter table api_keys
    add column rate_per_minute integer not null default 60 check (rate_per_minute between 1 and 100000),
    add column max_active      integer not null default 8 check (max_active between 1 and 10000),
    add column webhook_secret  text;

-- Quota and queue-cap checks count these.
create index submissions_active on submissions (api_key_id) where status in ('queued', 'running');
create index submissions_queued on submissions (created_at) where status = 'queued';

-- Who did what, from where.
create table audit_log (
    id             bigserial primary key,
    at             timestamptz not null default now(),
    api_key_id     uuid,
    action         text        not null,
    target         text,
    client_address text
);
create index audit_log_by_key on audit_log (api_key_id, at desc);

alter table submissions add column callback_url text;

-- One webhook per completed submission that asked for one, until delivered or given up.
create table webhook_deliveries (
    submission_id   uuid primary key references submissions (id),
    url             text        not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    failed_at       timestamptz,
    last_error      text
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where delivered_at is null and failed_at is null;
