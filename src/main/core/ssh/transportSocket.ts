/**
 * The TCP socket a direct SSH hop runs on, reading up to 128 KiB at a time into 512 KiB slabs
 * (Node's `onread` option) instead of a fresh 64 KiB buffer per read, pacing minor GCs by the
 * bytes read (trafficGcTuning.ts), and sending the packets of one callback in one write.
 *
 * Why slabs: a full-speed tunnel (ssh2 receiving 32 KiB packets) makes half the reads, and fewer
 * SSH packets straddle two reads (ssh2 copies each of those into a new buffer); a slab that dies
 * young is freed by the next minor GC. Measured together with the GC tuning on `-L` direct.
 *
 * A slab is never reused: each read takes the free tail of the current slab and the next read
 * starts after it, so the views ssh2 hands out (it decrypts in place and forwards channel data as
 * views of the read buffer) stay valid; a slab is freed by the GC once no view of it is left.
 */
import net from 'node:net';
import { noteTransportBytesRead } from './trafficGcTuning';

const SLAB_BYTES = 512 * 1024;
const MAX_READ_BYTES = 128 * 1024;

export function connectTransportSocket(host: string, port: number): net.Socket {
  let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  let used = 0;
  // Data that arrives before ssh2 listens for it (it attaches its listener after the TCP connect
  // and its crypto set-up) is kept and delivered, in order, when the first listener comes.
  let early: Buffer[] | undefined = [];
  const deliver = (chunk: Buffer) => {
    if (early) early.push(chunk);
    else socket.emit('data', chunk);
  };
  const socket = net.connect({
    host,
    port,
    onread: {
      buffer: () => {
        if (SLAB_BYTES - used < MAX_READ_BYTES) {
          slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
          used = 0;
        }
        return slab.subarray(used, used + MAX_READ_BYTES);
      },
      callback: (bytes: number, buffer: Uint8Array) => {
        const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, bytes);
        used += bytes;
        deliver(chunk);
        noteTransportBytesRead(bytes);
        return true;
      },
    },
  });
  coalesceWrites(socket);
  socket.on('newListener', (event) => {
    if (event !== 'data' || !early) return;
    const queued = early;
    early = undefined;
    // After the listener is attached (newListener fires before).
    queueMicrotask(() => {
      for (const chunk of queued) socket.emit('data', chunk);
    });
  });
  return socket;
}

/**
 * The same write coalescing and GC tuning for a socket someone else connected (a TLS socket
 * to a Teleport proxy's multiplexed port): its reads are counted as they are emitted, without
 * adding a 'data' listener that would start the flow before ssh2 listens.
 */
export function tuneTransportSocket(socket: net.Socket): void {
  coalesceWrites(socket);
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    const handled = emit(event, ...args);
    if (event === 'data') noteTransportBytesRead((args[0] as Buffer).length);
    return handled;
  }) as typeof socket.emit;
}

/**
 * ssh2 writes each SSH packet with its own socket.write: one syscall, and one wake-up of sshd, per
 * packet. Here the packets one callback writes (EOF + CLOSE, data + window adjust, the packets of
 * a jump's inner connection) leave in one writev once it returns (process.nextTick). Waiting for
 * the end of the event-loop turn (setImmediate) batched more but held window adjusts back while
 * a poll phase read many chunks, and tunnel throughput dropped ~15%.
 */
function coalesceWrites(socket: net.Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(flush);
    }
    return write(...args);
  };
}
