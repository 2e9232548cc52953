-- A session's event stream tells its commands' changes in the order they were stored: each change
-- takes the next number of its session's counter, under the session row's lock, so numbers commit
-- in order and a reader that saw number n has seen every change before it.
alter table sessions add column command_changes bigint not null default 0;
alter table session_commands add column change bigint not null default 0;
create index session_commands_by_change on session_commands (session_id, change);
