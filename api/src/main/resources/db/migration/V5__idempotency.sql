-- A client's Idempotency-Key: the same key and body from the same API key give the same submission.
alter table submissions add column idempotency_key text, add column request_hash bytea;
create unique index submissions_idempotency on submissions (api_key_id, idempotency_key) where idempotency_key is not null;
