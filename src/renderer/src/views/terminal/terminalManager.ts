/**
 * Every terminal of this window: creates a controller per tab, routes `terminal.data` and
 * `terminal.state` by session id, applies font and theme changes, and closes the session of a
 * tab that went away. Events for sessions of other windows are ignored, except for a short,
 * bounded buffer that covers output racing the `terminal.open` answer.
 */
import type { OneHopClient } from '../../../../shared/contract/client';
import type { TerminalInfo } from '../../../../shared/model/terminal';
import type { AppStore } from '../../state/store';
import { TerminalController, type TerminalHost } from './terminalController';
import { readTerminalColours, watchColourScheme, type TerminalColours } from './terminalTheme';

const EARLY_BUFFER_CHARS = 256 * 1024;
const EARLY_BUFFER_MS = 10_000;

interface Early {
  data: string[];
  chars: number;
  info: TerminalInfo | null;
  at: number;
}

export class TerminalManager {
  private readonly byTab = new Map<string, TerminalController>();
  private readonly bySession = new Map<string, TerminalController>();
  private readonly early = new Map<string, Early>();
  private colours: TerminalColours | null = null;
  private nextTab = 1;

  constructor(
    private readonly client: OneHopClient,
    private readonly store: AppStore,
    private readonly rename: (tabId: string, title: string) => void,
  ) {}

  /** Subscribes to the core, the settings and the theme; returns the teardown. */
  start(): () => void {
    let prefs = this.store.getSnapshot().settings?.ui;
    const offs = [
      this.client.on('terminal.data', ({ id, data }) => {
        const controller = this.bySession.get(id);
        if (controller) controller.receive(data);
        else
          this.keepEarly(id, (entry) => {
            entry.data.push(data);
            entry.chars += data.length;
          });
      }),
      this.client.on('terminal.state', ({ terminal }) => {
        const controller = this.bySession.get(terminal.id);
        if (controller) controller.setInfo(terminal);
        else this.keepEarly(terminal.id, (entry) => (entry.info = terminal));
      }),
      this.store.subscribe(() => {
        const next = this.store.getSnapshot().settings?.ui;
        if (!next || next === prefs) return;
        prefs = next;
        for (const controller of this.byTab.values()) controller.applyPrefs(next);
      }),
      watchColourScheme(() => {
        this.colours = null;
        const colours = this.getColours();
        for (const controller of this.byTab.values()) controller.applyColours(colours);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** A controller for a new tab; the session opens when its view first attaches. */
  create(host: TerminalHost): TerminalController {
    const tabId = `term-${this.nextTab++}`;
    const controller = new TerminalController(tabId, host, {
      client: this.client,
      prefs: () => this.store.getSnapshot().settings?.ui ?? null,
      colours: () => this.getColours(),
      onTitle: (title) => this.rename(tabId, title),
      onSessionId: (owner, id) => this.adopt(owner, id),
    });
    this.byTab.set(tabId, controller);
    return controller;
  }

  get(tabId: string): TerminalController | undefined {
    return this.byTab.get(tabId);
  }

  /** Disposes (and closes the sessions of) controllers whose tab is no longer open. */
  retain(openTabIds: ReadonlySet<string>): void {
    for (const [tabId, controller] of this.byTab) {
      if (openTabIds.has(tabId)) continue;
      this.byTab.delete(tabId);
      const id = controller.getSnapshot().terminalId;
      if (id) this.bySession.delete(id);
      controller.dispose();
    }
  }

  private adopt(controller: TerminalController, id: string): void {
    this.bySession.set(id, controller);
    const entry = this.early.get(id);
    this.early.delete(id);
    if (!entry) return;
    if (entry.info) controller.setInfo(entry.info);
    for (const data of entry.data) controller.receive(data);
  }

  private keepEarly(id: string, update: (entry: Early) => void): void {
    const now = Date.now();
    for (const [key, entry] of this.early) {
      if (now - entry.at > EARLY_BUFFER_MS) this.early.delete(key);
    }
    const entry = this.early.get(id) ?? { data: [], chars: 0, info: null, at: now };
    // Beyond the cap it is some other window's busy session, not a race.
    if (entry.chars > EARLY_BUFFER_CHARS) return;
    update(entry);
    this.early.set(id, entry);
  }

  private getColours(): TerminalColours {
    this.colours ??= readTerminalColours();
    return this.colours;
  }
}
