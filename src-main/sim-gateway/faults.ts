// Fault hooks: the ways a real IB Gateway misbehaves that the app must survive. Flags live here; the gateway
// consults them at the points where each fault bites.

/** Faults that can be switched on at startup (CLI --faults a,b). delay-acks takes milliseconds: delay-acks=500. */
export const FAULT_NAMES = [
  'partial-fills',
  'resend-executions-on-reconnect',
  'pause-matching',
  'go-silent',
  'lose-next-ack',
  'reject-next-order',
  'delay-acks',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** "partialFills", "partial-fills" and "partial_fills" name the same fault; "resend-executions" is short for the long name. */
export function parseFault(spec: string): { name: FaultName; value: string | undefined } {
  const [rawName = '', value] = spec.split('=', 2);
  let name = rawName.trim().replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
  if (name === 'resend-executions') name = 'resend-executions-on-reconnect';
  if (!(FAULT_NAMES as readonly string[]).includes(name)) throw new Error(`unknown fault "${spec}" (known: ${FAULT_NAMES.join(', ')})`);
  if (name === 'delay-acks' && !(Number(value) >= 0)) throw new Error(`fault "${spec}" needs milliseconds, e.g. delay-acks=500`);
  return { name: name as FaultName, value };
}

export interface FaultHooks {
  dropConnections(): void;
  sendConnectivity(code: 1100 | 1101 | 1102): void;
  rejectNextOrder(reason?: string): void;
  loseNextAck(): void;
  delayAcks(ms: number): void;
  partialFills(on: boolean): void;
  resendExecutionsOnReconnect(on: boolean): void;
  goSilent(on: boolean): void;
  pauseMatching(on: boolean): void;
}

export interface FaultActions {
  dropConnections(): void;
  sendConnectivity(code: 1100 | 1101 | 1102): void;
}

export class FaultState implements FaultHooks {
  rejectReason: string | null = null;
  loseAck = false;
  ackDelayMs = 0;
  partial = false;
  resendExecutions = false;
  silent = false;
  matchingPaused = false;

  constructor(private readonly actions: FaultActions) {}

  dropConnections(): void {
    this.actions.dropConnections();
  }
  sendConnectivity(code: 1100 | 1101 | 1102): void {
    this.actions.sendConnectivity(code);
  }
  rejectNextOrder(reason = 'Simulated rejection'): void {
    this.rejectReason = reason;
  }
  loseNextAck(): void {
    this.loseAck = true;
  }
  delayAcks(ms: number): void {
    this.ackDelayMs = Math.max(0, ms);
  }
  partialFills(on: boolean): void {
    this.partial = on;
  }
  resendExecutionsOnReconnect(on: boolean): void {
    this.resendExecutions = on;
  }
  goSilent(on: boolean): void {
    this.silent = on;
  }
  pauseMatching(on: boolean): void {
    this.matchingPaused = on;
  }

  /** Applies a startup fault by name (CLI --faults); throws on an unknown name. */
  enable(spec: string): void {
    const { name, value } = parseFault(spec);
    switch (name) {
      case 'partial-fills':
        return this.partialFills(true);
      case 'resend-executions-on-reconnect':
        return this.resendExecutionsOnReconnect(true);
      case 'pause-matching':
        return this.pauseMatching(true);
      case 'go-silent':
        return this.goSilent(true);
      case 'lose-next-ack':
        return this.loseNextAck();
      case 'reject-next-order':
        return this.rejectNextOrder();
      case 'delay-acks':
        return this.delayAcks(Number(value));
    }
  }
}
