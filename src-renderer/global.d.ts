import type { Api } from '../src-preload/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; in a browser, `installApi` sets a WebSocket client. */
    api?: Api;
  }
}

export {};
