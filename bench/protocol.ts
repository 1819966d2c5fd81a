/**
 * Messages between the bench orchestrator and the OneHop host child process (bench/oneHopHost.ts).
 * The OneHop side runs in its own fresh process so that its memory figures are its own and the
 * orchestrator's clients do not share its event loop.
 */

export interface HostInit {
  jumpPort: number;
  targetPort: number;
  /** PKCS#8 PEM, as the vault stores it. */
  privateKeyPem: string;
  certificate: string;
  /** `ssh-ed25519 AAAA…` of the host CA that signed both servers' host certificates. */
  hostCaPublicKey: string;
}

export interface Negotiated {
  hop: string;
  kex: string;
  cipherCs: string;
  cipherSc: string;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface StreamResult {
  ms: number;
  bytes: number;
}

export interface HostOps {
  init: { args: HostInit; result: { native: boolean; negotiated: Negotiated[] } };
  latency: { args: { warmup: number; reps: number }; result: { samplesMs: number[] } };
  stream: { args: { command: string; pty: boolean }; result: StreamResult };
  shells: { args: { count: number; separateConnections: boolean }; result: MemorySample };
  closeShells: { args: Record<string, never>; result: null };
  memory: { args: Record<string, never>; result: MemorySample };
  /** CPU time this process used so far (user + system), in ms. */
  cpu: { args: Record<string, never>; result: { ms: number } };
  tunnelStart: {
    args: {
      kind: 'L' | 'D';
      via: 'jump' | 'jump-tls' | 'direct';
      targetHost: string;
      targetPort: number;
      /** For 'jump-tls': the TLS-routing stand-in's port in front of the jump. */
      tlsPort?: number;
    };
    result: { port: number };
  };
  tunnelStop: { args: Record<string, never>; result: null };
  shutdown: { args: Record<string, never>; result: null };
}

export type HostOp = keyof HostOps;

export interface HostRequest<K extends HostOp = HostOp> {
  id: number;
  op: K;
  args: HostOps[K]['args'];
}

export type HostReply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
