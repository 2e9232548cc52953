// A Server-Sent Events reader over fetch. The browser's EventSource cannot send an
// Authorization header, so the stream is read with fetch + ReadableStream and parsed here,
// following the event-stream format of the HTML standard (fields event/data/id, comments
// starting with ':', an empty line ends an event, lines end in \n, \r\n or \r).

export interface SseEvent {
  event: string; // 'message' when the event names none
  data: string; // data lines joined with \n
  id?: string;
}

/** Parses event-stream text fed to it in arbitrary chunks. */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;

  /** Feeds one chunk; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const done: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for more.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      const eolLength = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + eolLength);
      const event = this.line(line);
      if (event) done.push(event);
    }
    return done;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment, e.g. ": keep-alive"
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    // 'retry' and unknown fields are ignored: reconnecting is the caller's choice.
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const event =
      this.data.length > 0
        ? { event: this.event || 'message', data: this.data.join('\n'), id: this.id }
        : undefined;
    this.event = '';
    this.data = [];
    return event;
  }
}

/** Yields the events of a response body until the server ends the stream. */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder(); // stream mode: a character split across chunks is kept whole
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
}
