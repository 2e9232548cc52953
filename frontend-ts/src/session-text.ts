// How the sessions view words a session and its commands (pure, no DOM; unit/session-text.test.ts).
// The shapes below are the parts of the generated Session and Command read here, so the unit
// tests need no generated code; the models fit them as they are.

export interface SessionState {
  status: string;
  ended_reason?: string;
  message?: string;
  idle_timeout_s: number;
  max_lifetime_s: number;
}

export interface CommandResult {
  status: string;
  exit_code?: number;
  signal?: string;
  verdict?: string;
  wall_time_ms?: number;
  stdout?: string;
  stdout_encoding?: string;
  stdout_truncated_bytes?: number;
  stderr?: string;
  stderr_encoding?: string;
  stderr_truncated_bytes?: number;
}

/** One stream of a finished command's output, as the API sent it (base64 is decoded for display, not here). */
export interface OutputPart {
  stream: 'stdout' | 'stderr';
  value: string;
  encoding?: string;
  truncatedBytes?: number;
}

/** The line under a command: how it ended and how long it took, e.g. "exit 0 · accepted · 12 ms". */
export function commandSummary(c: CommandResult): string {
  if (c.status === 'lost') return 'lost: the session ended before the command did';
  if (c.status === 'running') return 'still running';
  return [
    c.exit_code !== undefined ? `exit ${c.exit_code}` : undefined,
    c.signal ? `signal ${c.signal}` : undefined,
    c.verdict,
    c.wall_time_ms !== undefined ? `${c.wall_time_ms} ms` : undefined,
  ].filter(Boolean).join(' · ');
}

/** stdout, then stderr (the result keeps them apart, so their interleaving is lost); a stream with nothing in it is left out. */
export function outputParts(c: CommandResult): OutputPart[] {
  const parts: OutputPart[] = [
    { stream: 'stdout', value: c.stdout ?? '', encoding: c.stdout_encoding, truncatedBytes: c.stdout_truncated_bytes },
    { stream: 'stderr', value: c.stderr ?? '', encoding: c.stderr_encoding, truncatedBytes: c.stderr_truncated_bytes },
  ];
  return parts.filter((p) => p.value !== '' || (p.truncatedBytes ?? 0) > 0);
}

export function truncationNote(part: OutputPart): string | undefined {
  const bytes = part.truncatedBytes ?? 0;
  if (bytes <= 0) return undefined;
  return bytes === 1 ? `1 more byte of ${part.stream} was cut off.` : `${bytes} more bytes of ${part.stream} were cut off.`;
}

/** The session's state in a few words, for the status line. */
export function sessionStatusText(s: SessionState): string {
  switch (s.status) {
    case 'starting': return 'Starting…';
    case 'ready': return 'Ready.';
    case 'ended': return s.ended_reason ? `Ended (${s.ended_reason}).` : 'Ended.';
    default: return `${s.status}.`;
  }
}

/** What the terminal says when the session ends: why, in words, with the reason's code to look up. */
export function endedText(s: SessionState): string {
  const why = s.ended_reason ? ` (${s.ended_reason}): ${reasonWords(s)}` : '';
  return `Session ended${why}.${s.message ? ` ${s.message}` : ''}`;
}

function reasonWords(s: SessionState): string {
  switch (s.ended_reason) {
    case 'deleted': return 'it was ended on request (End session, or DELETE through the API)';
    case 'idle_timeout': return `no command came for ${s.idle_timeout_s} s`;
    case 'max_lifetime': return `it reached its longest life, ${s.max_lifetime_s} s`;
    case 'out_of_memory': return 'its sandbox ran out of memory';
    case 'executor_lost': return 'the server that held it stopped';
    case 'start_failed': return 'no sandbox could be started for it';
    case 'command_unkillable': return 'a command outlived its timeout and its kill, so its sandbox was removed';
    default: return (s.ended_reason ?? '').replace(/_/g, ' ');
  }
}
