-- Whether the sandboxes that ran the program came started from the executor's warm pool: hit or miss.
alter table submissions add column pool text check (pool in ('hit', 'miss'));
