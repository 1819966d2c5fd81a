/**
 * One terminal tab: an xterm instance and the session behind it. It lives outside React (the
 * manager owns it) so a re-render, a hidden tab or StrictMode's double effects never reopen or
 * close the SSH session; the view only attaches it to a DOM element.
 */
import { Terminal, type IDisposable } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import type { OneHopClient } from '../../../../shared/contract/client';
import type { UiPreferences } from '../../../../shared/model/settings';
import type { TerminalInfo } from '../../../../shared/model/terminal';
import { messageOf } from '../../state/store';
import { createAckBatcher, type AckBatcher } from './ackBatcher';
import type { TerminalColours } from './terminalTheme';
import { chunksOf, fontFamilyFor, isWebLink, provisionalTitle } from './terminalText';

export interface TerminalHost {
  name: string;
  login?: string | undefined;
}

export interface ControllerState {
  terminalId: string | null;
  info: TerminalInfo | null;
  /** `terminal.open` failed: there is no session. */
  openError: string | null;
  everConnected: boolean;
  hasOutput: boolean;
  searchOpen: boolean;
  search: { index: number; count: number } | null;
  renderer: 'webgl' | 'dom';
}

export interface ControllerDeps {
  client: OneHopClient;
  prefs: () => UiPreferences | null;
  colours: () => TerminalColours;
  /** The remote title sequence (or the session title when it is reset). */
  onTitle: (title: string) => void;
  /** The session id became known (routes `terminal.data` here). */
  onSessionId: (controller: TerminalController, id: string) => void;
}

const RESIZE_DEBOUNCE_MS = 40;
const COPY_DEBOUNCE_MS = 150;

export class TerminalController {
  readonly term: Terminal;
  private state: ControllerState = {
    terminalId: null,
    info: null,
    openError: null,
    everConnected: false,
    hasOutput: false,
    searchOpen: false,
    search: null,
    renderer: 'dom',
  };
  private readonly listeners = new Set<() => void>();
  private readonly fit = new FitAddon();
  private readonly searchAddon = new SearchAddon();
  private readonly disposables: IDisposable[] = [];
  private ack: AckBatcher | null = null;
  private opened = false;
  private opening = false;
  private disposed = false;
  /** Size the core was last told about. */
  private sentSize: { cols: number; rows: number } | null = null;
  private copyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly tabId: string,
    readonly host: TerminalHost,
    private readonly deps: ControllerDeps,
  ) {
    const prefs = deps.prefs();
    this.term = new Terminal({
      allowProposedApi: true,
      cursorBlink: true,
      scrollback: 10_000,
      fontSize: prefs?.terminalFontSize ?? 13,
      fontFamily: fontFamilyFor(prefs?.terminalFontFamily ?? ''),
      theme: deps.colours().theme,
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.searchAddon);
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.loadAddon(new WebLinksAddon((_event, uri) => openLink(uri)));
    this.term.attachCustomKeyEventHandler((event) => this.onKey(event));
    this.disposables.push(
      this.term.onData((data) => this.send(data)),
      this.term.onBinary((data) => this.send(data)),
      this.term.onResize(({ cols, rows }) => this.sendSize(cols, rows)),
      this.term.onTitleChange((title) =>
        deps.onTitle(title.trim() || this.state.info?.title || provisionalTitle(host)),
      ),
      this.term.onSelectionChange(() => this.copyOnSelect()),
      this.searchAddon.onDidChangeResults(({ resultIndex, resultCount }) =>
        this.patch({ search: { index: resultIndex, count: resultCount } }),
      ),
    );
  }

  getSnapshot = (): ControllerState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Shows the terminal in `container`; opens the session the first time. Returns the detach. */
  attach(container: HTMLElement): () => void {
    if (this.term.element) container.append(this.term.element);
    else {
      this.term.open(container);
      this.loadRenderer();
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => this.fitNow(), RESIZE_DEBOUNCE_MS);
    });
    observer.observe(container);
    this.fitNow();
    if (!this.opened) void this.open();
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }

  focus(): void {
    this.term.focus();
  }

  /** Asks the core to open the session with the fitted size. */
  async open(): Promise<void> {
    if (this.opening || this.disposed) return;
    this.opening = true;
    this.opened = true;
    this.patch({ openError: null });
    const { cols, rows } = this.term;
    try {
      const { terminal } = await this.deps.client.call('terminal.open', {
        target: { host: this.host.name },
        cols,
        rows,
      });
      if (this.disposed) {
        // The tab closed while the core was answering.
        void this.deps.client.call('terminal.close', { id: terminal.id }).catch(() => undefined);
        return;
      }
      this.sentSize = { cols, rows };
      this.ack = createAckBatcher({
        send: (chars) =>
          void this.deps.client.call('terminal.ack', { id: terminal.id, chars }).catch(() => {
            // The session ended; there is nothing left to pace.
          }),
      });
      this.patch({ terminalId: terminal.id });
      // Events that raced the answer are already stored; keep the newer one.
      if (!this.state.info) this.setInfo(terminal);
      this.deps.onSessionId(this, terminal.id);
      if (this.term.cols !== cols || this.term.rows !== rows) {
        this.sendSize(this.term.cols, this.term.rows);
      }
    } catch (error) {
      this.opened = false;
      this.patch({ openError: messageOf(error) });
    } finally {
      this.opening = false;
    }
  }

  /** Output from the core: rendered, then acknowledged (flow control). */
  receive(data: string): void {
    if (this.disposed) return;
    if (!this.state.hasOutput) this.patch({ hasOutput: true });
    this.term.write(data, () => this.ack?.add(data.length));
  }

  setInfo(info: TerminalInfo): void {
    const previous = this.state.info;
    if (previous?.title !== info.title) this.deps.onTitle(info.title);
    if (
      previous &&
      (previous.state === 'disconnected' || previous.state === 'closed') &&
      (info.state === 'connecting' || info.state === 'reconnecting')
    ) {
      this.term.write('\r\n\x1b[2m— reconnecting —\x1b[0m\r\n');
    }
    this.patch({ info, everConnected: this.state.everConnected || info.state === 'connected' });
  }

  async reconnect(): Promise<void> {
    const id = this.state.terminalId;
    if (!id) return this.open();
    try {
      const { terminal } = await this.deps.client.call('terminal.reconnect', { id });
      this.setInfo(terminal);
    } catch (error) {
      const info = this.state.info;
      if (info) this.patch({ info: { ...info, problem: messageOf(error) } });
      else this.patch({ openError: messageOf(error) });
    }
  }

  openSearch(): void {
    this.patch({ searchOpen: true });
  }

  closeSearch(): void {
    this.searchAddon.clearDecorations();
    this.patch({ searchOpen: false, search: null });
    this.term.focus();
  }

  find(text: string, direction: 'next' | 'previous', incremental = false): void {
    if (!text) {
      this.searchAddon.clearDecorations();
      this.patch({ search: null });
      return;
    }
    const { searchMatch, searchActive } = this.deps.colours();
    const options = {
      incremental,
      decorations: {
        matchBackground: searchMatch,
        matchOverviewRuler: searchMatch,
        activeMatchBackground: searchActive,
        activeMatchColorOverviewRuler: searchActive,
      },
    };
    const found =
      direction === 'next'
        ? this.searchAddon.findNext(text, options)
        : this.searchAddon.findPrevious(text, options);
    if (!found) this.patch({ search: { index: -1, count: 0 } });
  }

  applyPrefs(prefs: UiPreferences): void {
    const fontFamily = fontFamilyFor(prefs.terminalFontFamily);
    if (
      this.term.options.fontSize !== prefs.terminalFontSize ||
      this.term.options.fontFamily !== fontFamily
    ) {
      this.term.options.fontSize = prefs.terminalFontSize;
      this.term.options.fontFamily = fontFamily;
      this.fitNow();
    }
  }

  applyColours(colours: TerminalColours): void {
    this.term.options.theme = colours.theme;
  }

  /** Closes the session (the tab is gone) and frees the terminal. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.copyTimer);
    this.ack?.dispose();
    const id = this.state.terminalId;
    if (id) void this.deps.client.call('terminal.close', { id }).catch(() => undefined);
    for (const disposable of this.disposables) disposable.dispose();
    this.term.dispose();
    this.listeners.clear();
  }

  private fitNow(): void {
    const element = this.term.element?.parentElement;
    // A hidden tab has no size; fitting it would shrink the remote pty to nothing.
    if (!element || element.clientWidth === 0 || element.clientHeight === 0) return;
    try {
      this.fit.fit();
    } catch {
      // The renderer is not ready yet (no character size measured); the next resize retries.
    }
  }

  private loadRenderer(): void {
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        // The GPU process reset or the context was dropped: the DOM renderer takes over.
        webgl.dispose();
        this.patch({ renderer: 'dom' });
      });
      this.term.loadAddon(webgl);
      this.patch({ renderer: 'webgl' });
    } catch {
      this.patch({ renderer: 'dom' });
    }
  }

  private send(data: string): void {
    const id = this.state.terminalId;
    const state = this.state.info?.state;
    // Keystrokes into a dead session would only produce errors; the overlay says what to do.
    if (!id || state === 'disconnected' || state === 'closed') return;
    for (const chunk of chunksOf(data)) {
      void this.deps.client.call('terminal.write', { id, data: chunk }).catch(() => undefined);
    }
  }

  private sendSize(cols: number, rows: number): void {
    const id = this.state.terminalId;
    if (!id || (this.sentSize?.cols === cols && this.sentSize.rows === rows)) return;
    this.sentSize = { cols, rows };
    void this.deps.client.call('terminal.resize', { id, cols, rows }).catch(() => undefined);
  }

  private copyOnSelect(): void {
    if (!this.deps.prefs()?.copyOnSelect) return;
    clearTimeout(this.copyTimer);
    this.copyTimer = setTimeout(() => {
      if (this.term.hasSelection()) copyText(this.term.getSelection());
    }, COPY_DEBOUNCE_MS);
  }

  /** Keys the app keeps for itself; returning false stops xterm from sending them. */
  private onKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') return true;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.shiftKey && event.code === 'KeyF') {
      event.preventDefault();
      this.openSearch();
      return false;
    }
    if (mod && event.shiftKey && event.code === 'KeyC') {
      event.preventDefault();
      if (this.term.hasSelection()) copyText(this.term.getSelection());
      return false;
    }
    // The browser's own paste (a `paste` event) reaches xterm, which brackets it.
    if (mod && event.shiftKey && event.code === 'KeyV') return false;
    // Tab switching and Ctrl+Shift+W (close) belong to the window (useTabShortcuts).
    if (
      event.ctrlKey &&
      (event.key === 'Tab' ||
        event.key === 'PageUp' ||
        event.key === 'PageDown' ||
        (event.shiftKey && event.code === 'KeyW') ||
        (!event.shiftKey && /^Digit[1-9]$/.test(event.code)))
    ) {
      return false;
    }
    return true;
  }

  private patch(partial: Partial<ControllerState>): void {
    this.state = { ...this.state, ...partial };
    for (const listener of this.listeners) listener();
  }
}

function copyText(text: string): void {
  if (!text) return;
  navigator.clipboard.writeText(text).catch(() => {
    // The clipboard can be refused (unfocused page, browser policy); selection stays visible.
  });
}

/**
 * In Electron the window-open handler turns http(s) into the system browser (security.ts); in
 * browser mode this opens a new tab that cannot reach back into the app.
 */
function openLink(uri: string): void {
  if (isWebLink(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
}
