/**
 * The job and event streams on Redis: jobs, execution events and verdicts as they travel, cancellations, and the small role interfaces api and executor see.
 * The only code that knows Redis (Lettuce) and the wire JSON; counts on a Micrometer registry it is given; makes no verdicts, knows neither api nor executor.
 */
package dev.crucible.queue;
