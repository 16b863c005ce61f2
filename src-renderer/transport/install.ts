// Picks the transport: the Electron preload's window.api if present, else the headless shell's WebSocket.
import type { Api } from '../../src-preload/contract';
import { useConnection } from '../stores/connection';
import { createWsApi } from './ws-api';

export function installApi(): Api {
  if (window.api !== undefined) {
    useConnection.getState().set('open');
    return window.api;
  }
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const api = createWsApi(`${proto}//${window.location.host}/ws`, (s) => useConnection.getState().set(s));
  window.api = api;
  return api;
}
