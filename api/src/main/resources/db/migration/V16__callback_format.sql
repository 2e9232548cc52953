-- The shape a submission's callback is sent in: that of the API it came in by (Judge0's is a PUT of
-- its own fields, base64).
alter table submissions add column callback_format text not null default 'crucible'
    check (callback_format in ('crucible', 'judge0'));
