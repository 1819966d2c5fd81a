/**
 * Unknown host keys put to the user: a `hostkey.prompt` event to every UI, answered by the first
 * `hostkey.answer`; unanswered prompts are refused after a while, never accepted.
 */
import type { EventBus } from '../events/bus';
import type { HostKeyDecision, SshHop, UnknownHostKeyInfo } from '../ssh';

const PROMPT_TIMEOUT_MS = 3 * 60_000;

interface Waiting {
  resolve: (decision: HostKeyDecision) => void;
  timer: NodeJS.Timeout;
}

export class HostKeyPrompts {
  readonly #bus: EventBus;
  readonly #waiting = new Map<string, Waiting>();
  #next = 1;

  constructor(bus: EventBus) {
    this.#bus = bus;
  }

  ask(info: UnknownHostKeyInfo, hop: SshHop): Promise<HostKeyDecision> {
    const id = `k${String(this.#next++)}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(id, 'reject'), PROMPT_TIMEOUT_MS);
      timer.unref();
      this.#waiting.set(id, { resolve, timer });
      this.#bus.emit('hostkey.prompt', {
        id,
        host: info.host,
        port: info.port,
        hop,
        keyType: info.keyType,
        fingerprint: info.fingerprint,
        untrustedCaFingerprint: info.untrustedCaFingerprint ?? null,
      });
    });
  }

  /** False when the prompt was already answered, timed out, or never existed. */
  answer(id: string, decision: HostKeyDecision): boolean {
    const waiting = this.#waiting.get(id);
    if (!waiting) return false;
    this.#waiting.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(decision);
    this.#bus.emit('hostkey.resolved', { id });
    return true;
  }

  close(): void {
    for (const id of [...this.#waiting.keys()]) this.answer(id, 'reject');
  }
}
