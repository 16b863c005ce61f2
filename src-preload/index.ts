// The preload: implements the contract's `Api` over IPC and exposes it as window.api. The renderer never sees
// ipcRenderer itself, only these two wrapped functions, limited to the contract's channels.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ApiError,
  ipcChannel,
  isEventName,
  isRequestChannel,
  unwrap,
  type Api,
  type Envelope,
  type EventMap,
  type EventName,
} from './contract';

const api: Api = {
  async request(channel, payload) {
    if (!isRequestChannel(channel)) throw new ApiError('unknown_channel', `unknown request channel "${String(channel)}"`);
    const envelope = (await ipcRenderer.invoke(ipcChannel.request(channel), payload)) as Envelope<never>;
    return unwrap(envelope);
  },
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
    if (!isEventName(event)) throw new ApiError('unknown_channel', `unknown event "${String(event)}"`);
    const wrapped = (_e: IpcRendererEvent, payload: EventMap[E]): void => listener(payload);
    ipcRenderer.on(ipcChannel.event(event), wrapped);
    return () => {
      ipcRenderer.removeListener(ipcChannel.event(event), wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
