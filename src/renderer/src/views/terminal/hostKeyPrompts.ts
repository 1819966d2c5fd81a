/**
 * Host key questions from the core (`hostkey.prompt`), oldest first. A prompt leaves the queue
 * when this window answers it or when the core says it was settled (`hostkey.resolved`: answered
 * in another window, or timed out).
 */
import type { OneHopClient } from '../../../../shared/contract/client';
import type { HostKeyPrompt } from '../../../../shared/model/terminal';
import { messageOf, type AppStore } from '../../state/store';

export type HostKeyAnswer = 'once' | 'remember' | 'reject';

export class HostKeyPrompts {
  private prompts: HostKeyPrompt[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: OneHopClient,
    private readonly store: AppStore,
  ) {}

  getSnapshot = (): HostKeyPrompt[] => this.prompts;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): () => void {
    const offs = [
      this.client.on('hostkey.prompt', (prompt) => {
        this.set([...this.prompts.filter((p) => p.id !== prompt.id), prompt]);
      }),
      this.client.on('hostkey.resolved', ({ id }) => this.drop(id)),
    ];
    return () => offs.forEach((off) => off());
  }

  async answer(id: string, answer: HostKeyAnswer): Promise<void> {
    this.drop(id);
    try {
      await this.client.call('hostkey.answer', { id, answer });
    } catch (error) {
      this.store.toast(messageOf(error), 'error');
    }
  }

  private drop(id: string): void {
    if (this.prompts.some((p) => p.id === id)) this.set(this.prompts.filter((p) => p.id !== id));
  }

  private set(prompts: HostKeyPrompt[]): void {
    this.prompts = prompts;
    for (const listener of this.listeners) listener();
  }
}
