/**
 * The Electron preload: exposes `window.ferry` (the contract's FerryApi: requests, events and the
 * path of a dropped file) and nothing else. Runs sandboxed with context isolation; the main process
 * validates every request again.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
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
  // A dropped file's path, so a drop becomes a copy task from This computer (it resumes after a
  // restart) instead of bytes streamed through the page. Nothing but the path crosses the bridge.
  pathForFile: (file) => {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('ferry', api);
