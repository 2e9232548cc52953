// The lines typed into a session's terminal, recalled with ArrowUp and ArrowDown as a shell does
// (pure, no DOM; unit/command-history.test.ts). Walking up from a half-typed line keeps it, so
// walking back down past the newest entry gives it back instead of losing it.

export const HISTORY_SIZE = 100;

export class CommandHistory {
  private readonly lines: string[];
  private position: number; // lines.length: past the newest, on the line being typed
  private draft = '';

  constructor(lines: readonly string[] = []) {
    this.lines = lines.slice(-HISTORY_SIZE);
    this.position = this.lines.length;
  }

  /** A line that was run. Blank lines and a repeat of the newest are not kept twice. */
  add(line: string): void {
    if (line.trim() !== '' && line !== this.lines.at(-1)) {
      this.lines.push(line);
      if (this.lines.length > HISTORY_SIZE) this.lines.shift();
    }
    this.position = this.lines.length;
    this.draft = '';
  }

  /** The line before the one shown (`current` is what the input holds), or undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.position === 0) return undefined;
    if (this.position === this.lines.length) this.draft = current;
    this.position -= 1;
    return this.lines[this.position];
  }

  /** The line after the one shown; past the newest, the line that was being typed. Undefined there already. */
  next(): string | undefined {
    if (this.position === this.lines.length) return undefined;
    this.position += 1;
    return this.position === this.lines.length ? this.draft : this.lines[this.position];
  }

  /** Oldest first, to be stored. */
  entries(): string[] {
    return [...this.lines];
  }
}
