-- The Debian packages and versions of each runtime's image, as its executors' runs last reported
-- them (issue 18): GET /v1/runtimes shows them for the image the catalog names.
create table runtime_packages (
    runtime  text        primary key,
    image    text        not null,
    packages text        not null, -- name=version,... as the image's build recorded them
    seen_at  timestamptz not null default now()
);
