// `Api` over the headless shell's WebSocket, so the same React app runs in a browser. Requests wait for the
// socket; the socket reconnects with backoff and event subscriptions survive reconnects.
import {
  ApiError,
  unwrap,
  type Api,
  type Envelope,
  type EventMap,
  type EventName,
  type WsServerFrame,
} from '../../src-preload/contract';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void; channel: string };
export type ConnectionState = 'connecting' | 'open' | 'closed';

export function createWsApi(url: string, onState: (s: ConnectionState) => void = () => undefined): Api {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let backoffMs = 250;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();

  const connect = (): void => {
    onState('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      backoffMs = 250;
      onState('open');
      for (const frame of queue.splice(0)) sock.send(frame);
    };
    sock.onmessage = (m: MessageEvent<string>) => {
      const frame = JSON.parse(m.data) as WsServerFrame;
      if (frame.type === 'event') {
        for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
        return;
      }
      const p = pending.get(frame.id);
      if (p === undefined) return;
      pending.delete(frame.id);
      try {
        p.resolve(unwrap(frame.envelope as Envelope<unknown>));
      } catch (err) {
        p.reject(err);
      }
    };
    sock.onclose = () => {
      onState('closed');
      for (const [id, p] of pending) {
        p.reject(new ApiError('internal', `${p.channel}: connection to the app was lost`));
        pending.delete(id);
      }
      setTimeout(connect, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5000);
    };
  };
  connect();

  return {
    request(channel, payload) {
      const id = nextId++;
      const frame = JSON.stringify({ type: 'request', id, channel, payload });
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, channel });
        if (ws !== null && ws.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.push(frame);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
  };
}
