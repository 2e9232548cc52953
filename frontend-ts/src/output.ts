// Program output as the API sends it: text when it was valid UTF-8 without NUL, otherwise
// base64 of the exact bytes (`*_encoding: base64`). For display, base64 is decoded and shown
// as text with replacement characters, marked as binary.
import type { OutputEncoding } from './generated';

export interface DisplayText {
  text: string;
  binary: boolean;
  bytes?: number; // size of binary output
}

export function decodeOutput(value: string | undefined, encoding: OutputEncoding | undefined): DisplayText {
  if (value === undefined) return { text: '', binary: false };
  if (encoding !== 'base64') return { text: value, binary: false };
  try {
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    return { text: new TextDecoder('utf-8', { fatal: false }).decode(bytes), binary: true, bytes: bytes.length };
  } catch {
    return { text: value, binary: true }; // not valid base64: show it raw rather than nothing
  }
}
