-- What a submission ran on (runtime, image digest, sandbox version, executor, files hash, limits), as JSON.
alter table submissions add column provenance text;
