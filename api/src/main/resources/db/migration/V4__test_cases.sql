-- Each test's result, as JSON written by the api (outputs base64-encoded), when the submission had tests.
alter table submissions add column test_results text;
alter table submissions drop constraint submissions_verdict_check;
alter table submissions add constraint submissions_verdict_check check (verdict in (
    'accepted', 'wrong_answer', 'compile_error', 'runtime_error', 'time_limit_exceeded', 'memory_limit_exceeded',
    'output_limit_exceeded', 'internal_error'));
