create table batches (
    id         uuid primary key,
    api_key_id uuid        not null references api_keys (id),
    created_at timestamptz not null
);
alter table submissions add column batch_id uuid references batches (id), add column batch_position integer;
create index submissions_by_batch on submissions (batch_id) where batch_id is not null;
