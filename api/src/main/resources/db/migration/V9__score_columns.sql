-- The score apart from the test results, so that listings never load every test's output.
alter table submissions add column tests_passed integer, add column tests_total integer;
