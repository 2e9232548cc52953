/**
 * The job and event streams on Redis: jobs, execution events and verdicts as they travel, cancellations, and the small role interfaces api and executor see.
 * The only code that knows Redis (Lettuce) and the wire JSON; it makes no verdicts and knows neither api nor executor.
 */
package dev.crucible.queue;
