alter table submissions add column compile_output bytea;
alter table submissions drop constraint submissions_verdict_check;
alter table submissions add constraint submissions_verdict_check check (verdict in (
    'accepted', 'compile_error', 'runtime_error', 'time_limit_exceeded', 'memory_limit_exceeded',
    'output_limit_exceeded', 'internal_error'));
