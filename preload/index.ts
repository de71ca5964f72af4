/**
 * The Electron preload: exposes `window.ferry` (the contract's FerryApi) and nothing else. Runs
 * sandboxed with context isolation; the main process validates every request again.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type EventMessage, type FerryApi } from './shared/contract';

const api: FerryApi = {
  invoke: (name, arg) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { name, arg }),
  on: (event, listener) => {
    const handler = (_e: IpcRendererEvent, message: EventMessage) => {
      if (message.event === event) (listener as (p: unknown) => void)(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('ferry', api);
