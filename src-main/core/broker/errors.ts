// The one error type the broker port rejects with. `code` is machine-readable for the engine; `message` speaks to
// the trader; `brokerCode` keeps the broker's own number (e.g. IB 201) when there is one.
export type BrokerErrorCode =
  | 'not-connected'
  | 'timeout'
  | 'invalid-request'
  | 'no-contract'
  | 'pacing'
  | 'rejected'
  | 'cancelled'
  | 'disconnected';

export class BrokerError extends Error {
  override readonly name = 'BrokerError';

  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    readonly brokerCode: number | null = null,
  ) {
    super(message);
  }
}

export const isBrokerError = (e: unknown): e is BrokerError => e instanceof BrokerError;
