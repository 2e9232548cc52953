-- Retention (issue 21). When a submission's content (source, input, outputs, request) was erased; its
-- tombstone (owner, runtime, verdict, timings, times) stays, so that statistics and audit stay coherent.
alter table submissions add column purged_at timestamptz;
-- The purge looks for final submissions not yet purged, oldest first.
create index submissions_unpurged on submissions (finished_at) where purged_at is null and status in ('completed', 'cancelled');
-- A key's own retention of its submissions' content, in days; null keeps the server's (CRUCIBLE_RETENTION_DAYS).
alter table api_keys add column retention_days integer check (retention_days between 1 and 36500);
-- Audit entries are deleted by age.
create index audit_log_by_time on audit_log (at);
