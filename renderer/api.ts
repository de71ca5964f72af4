/**
 * The renderer's only door to the main process: the contract's FerryApi. Under Electron the preload
 * exposes it as `window.ferry`; in the loopback web host we build the same API over the page's own
 * WebSocket (`/ws?token=…`), so every component runs unchanged in both.
 */
import type {
  ContractError,
  EventName,
  EventPayload,
  FerryApi,
  Reply,
  RequestArg,
  RequestName,
  RequestResult,
} from '../preload/shared/contract';

declare global {
  interface Window {
    ferry?: FerryApi;
  }
}

type Listener = (payload: unknown) => void;
type ConnectionListener = (connected: boolean) => void;

/** A FerryApi over the web host's WebSocket; reconnects with backoff when the host restarts. */
export class WebSocketFerryApi implements FerryApi {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply<RequestName>) => void>();
  private readonly outbox: string[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private retryMs = 250;
  connected = false;
  /** False until the first connection: the start-up handshake is not a lost connection. */
  everConnected = false;

  constructor(private readonly url: string) {
    this.connect();
  }

  invoke<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<Reply<N>> {
    const id = this.nextId++;
    const frame = JSON.stringify({ type: 'invoke', id, name, arg });
    return new Promise<Reply<N>>((resolve) => {
      this.pending.set(id, resolve as (reply: Reply<RequestName>) => void);
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
      else this.outbox.push(frame);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    this.listeners.set(event, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private setConnected(connected: boolean): void {
    this.connected = connected;
    if (connected) this.everConnected = true;
    for (const l of this.connectionListeners) l(connected);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setConnected(true);
      for (const frame of this.outbox.splice(0)) socket.send(frame);
    };
    socket.onmessage = (e) => this.receive(String(e.data));
    socket.onclose = () => {
      // Requests in flight will never be answered by this socket; fail them rather than hang the UI.
      const lost: ContractError = { code: 'Disconnected', message: 'the connection to Ferry was lost' };
      for (const resolve of this.pending.values()) resolve({ ok: false, error: lost });
      this.pending.clear();
      this.setConnected(false);
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private receive(text: string): void {
    let message: {
      type?: string;
      id?: number;
      reply?: Reply<RequestName>;
      event?: string;
      payload?: unknown;
    };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'reply' && typeof message.id === 'number' && message.reply) {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.reply);
    } else if (message.type === 'event' && message.event) {
      for (const l of this.listeners.get(message.event) ?? []) l(message.payload);
    }
  }
}

function webSocketUrl(): string {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/ws?token=${encodeURIComponent(token)}`;
}

export const webApi: WebSocketFerryApi | undefined = window.ferry
  ? undefined
  : new WebSocketFerryApi(webSocketUrl());
export const api: FerryApi = window.ferry ?? webApi!;

/** A failed request, thrown by `call` so stores can use try/catch; it keeps the service's request id. */
export class RequestFailed extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
  }
}

export async function call<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<RequestResult<N>> {
  const reply = await api.invoke(name, arg);
  if (!reply.ok) throw new RequestFailed(reply.error);
  return reply.result;
}

export function errorInfo(err: unknown): ContractError {
  if (err instanceof RequestFailed) return err.error;
  return { code: 'Error', message: err instanceof Error ? err.message : String(err) };
}
