// One API client socket: framing, handshake state and the client's market-data subscriptions.
import type { Socket } from 'node:net';
import type { Field } from '../protocol/fields';
import { encodeFrame, InboundReader, type Inbound } from '../protocol/framing';

export class Connection {
  readonly reader = new InboundReader();
  version = 0;
  /** Set once startApi was accepted. */
  clientId: number | null = null;
  readonly realTimeBars = new Set<number>();
  readonly mktData = new Set<number>();
  positions = false;
  accountUpdates = false;

  constructor(
    readonly socket: Socket,
    private readonly isSilent: () => boolean,
  ) {}

  get started(): boolean {
    return this.clientId !== null;
  }

  get alive(): boolean {
    return !this.socket.destroyed;
  }

  send(fields: readonly Field[]): void {
    if (this.isSilent() || this.socket.destroyed) return;
    this.socket.write(encodeFrame(fields));
  }

  /** The handshake answer is a bare frame of "<version>\0<time>\0". */
  sendHandshake(version: number, connectionTime: string): void {
    this.send([version, connectionTime]);
  }

  read(chunk: Buffer): Inbound[] {
    return this.reader.push(chunk);
  }

  forgetSubscriptions(): void {
    this.realTimeBars.clear();
    this.mktData.clear();
  }
}
