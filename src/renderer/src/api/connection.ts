/** Connection state of the transport, shown as a banner when the core cannot be reached. */
export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'connected' }
  | { status: 'reconnecting'; attempt: number; reason: string }
  | { status: 'lost'; reason: string };

export type ConnectionListener = (state: ConnectionState) => void;

/** A tiny observable value: the transport writes it, the UI reads it. */
export class ConnectionMonitor {
  private state: ConnectionState;
  private readonly listeners = new Set<ConnectionListener>();

  constructor(initial: ConnectionState) {
    this.state = initial;
  }

  get(): ConnectionState {
    return this.state;
  }

  set(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }

  subscribe(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
