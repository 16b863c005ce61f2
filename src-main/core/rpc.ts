// Request dispatch shared by both shells: the channel must be known, the payload must pass the contract's zod
// schema, and whatever happens the caller gets an envelope with a typed error, never a crash.
import {
  isRequestChannel,
  requestSchemas,
  ApiError,
  type Envelope,
  type RequestChannel,
  type RequestPayload,
  type ResponseMap,
} from '../../src-preload/contract';

export type Handlers = {
  [C in RequestChannel]: (payload: RequestPayload<C>) => Promise<ResponseMap[C]> | ResponseMap[C];
};

export async function dispatch(handlers: Handlers, channel: string, raw: unknown): Promise<Envelope<unknown>> {
  if (!isRequestChannel(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `unknown request channel "${channel.slice(0, 64)}"` } };
  }
  const parsed = requestSchemas[channel].safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
      .join('; ');
    return { ok: false, error: { code: 'bad_request', message: `${channel}: ${issues}` } };
  }
  try {
    const handler = handlers[channel] as (p: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'internal', message: `${channel} failed: ${message}` } };
  }
}
