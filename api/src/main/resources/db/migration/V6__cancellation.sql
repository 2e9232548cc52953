alter table submissions drop constraint submissions_status_check;
alter table submissions add constraint submissions_status_check
    check (status in ('queued', 'running', 'completed', 'cancelled'));
