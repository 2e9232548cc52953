-- The retention sweep looks for commands that still hold content (argv or result): erased ones are
-- tombstones it should not read again on every sweep.
create index session_commands_with_content on session_commands (session_id)
    where result is not null or argv <> '[]'::jsonb;
