// TWS API v100+ framing. Client -> server: "API\0", then frames; server -> client: frames only. A frame is a 4-byte
// big-endian body length, then UTF-8 fields each terminated by NUL, the last one too (without the final NUL the
// @stoqey/ib client glues the last field to the next message).
import { fieldText, type Field } from './fields';

const API_PREFIX = Buffer.from('API\0', 'latin1');
/** IB's Java client refuses bodies over 16 MiB; so do we (a garbage length must not make us buffer forever). */
export const MAX_FRAME_BYTES = 0xffffff;

export function encodeFrame(fields: readonly Field[]): Buffer {
  const body = Buffer.from(fields.map((f) => fieldText(f) + '\0').join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Splits a frame body into its fields (the trailing NUL ends the last field, it does not start an empty one). */
export function splitFields(body: Buffer): string[] {
  const text = body.toString('utf8');
  const parts = text.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export type Inbound =
  | { kind: 'hello'; minVersion: number; maxVersion: number; options: string }
  | { kind: 'message'; fields: string[] }
  | { kind: 'bad'; reason: string };

/**
 * Incremental reader of one client connection: feed it socket chunks, get whole messages. The first thing a client
 * sends is the "API\0" prefix plus a framed "v<min>..<max>[ options]" string (no NUL), then ordinary frames.
 */
export class InboundReader {
  private buf: Buffer = Buffer.alloc(0);
  private sawHello = false;

  push(chunk: Buffer): Inbound[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Inbound[] = [];
    if (!this.sawHello) {
      if (this.buf.length < API_PREFIX.length) return out;
      if (!this.buf.subarray(0, API_PREFIX.length).equals(API_PREFIX)) {
        out.push({ kind: 'bad', reason: 'the client did not open with "API\\0" (only the v100+ protocol is served)' });
        this.buf = Buffer.alloc(0);
        return out;
      }
    }
    for (;;) {
      const start = this.sawHello ? 0 : API_PREFIX.length;
      if (this.buf.length < start + 4) return out;
      const len = this.buf.readUInt32BE(start);
      if (len > MAX_FRAME_BYTES) {
        out.push({ kind: 'bad', reason: `frame of ${len} bytes is over the ${MAX_FRAME_BYTES}-byte limit` });
        this.buf = Buffer.alloc(0);
        return out;
      }
      if (this.buf.length < start + 4 + len) return out;
      const body = this.buf.subarray(start + 4, start + 4 + len);
      this.buf = this.buf.subarray(start + 4 + len);
      if (!this.sawHello) {
        this.sawHello = true;
        out.push(parseHello(body.toString('utf8')));
      } else {
        out.push({ kind: 'message', fields: splitFields(body) });
      }
    }
  }
}

function parseHello(text: string): Inbound {
  const m = /^v(\d+)(?:\.\.(\d+))?(?:\s+(.*))?$/.exec(text.replace(/\0+$/, '').trim());
  if (!m) return { kind: 'bad', reason: `unreadable version range "${text}"` };
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return { kind: 'hello', minVersion: min, maxVersion: max, options: m[3] ?? '' };
}
