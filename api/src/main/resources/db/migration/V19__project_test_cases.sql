-- A project's test cases as its JUnit reports gave them (JSON text): the program's content, erased with it.
alter table submissions add column test_cases text;
