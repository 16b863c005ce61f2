// A small typed fan-out for the port's events. A throwing listener is isolated: one failing consumer (a UI, a log
// sink) must never stop order events reaching the engine.
export class TypedEmitter<M> {
  private readonly listeners = new Map<keyof M, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (event: keyof M, err: unknown) => void = () => undefined) {}

  on<E extends keyof M>(event: E, listener: (payload: M[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const l = listener as (payload: never) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  emit<E extends keyof M>(event: E, payload: M[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const l of [...set]) {
      try {
        (l as (p: M[E]) => void)(payload);
      } catch (err) {
        this.onListenerError(event, err);
      }
    }
  }

  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
