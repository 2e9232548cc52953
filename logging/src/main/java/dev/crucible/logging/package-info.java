/**
 * An SLF4J provider that writes one JSON object per line to standard error, with the thread's MDC.
 * Depends on SLF4J's API alone; the processes put it on their runtime classpath and never call it directly.
 */
package dev.crucible.logging;
