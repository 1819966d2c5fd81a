import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTabs } from '../state/TabsContext';
import type { Tab } from '../state/tabs';
import { TerminalTabState } from '../views/terminal/TerminalTabState';
import { Icon, type IconName } from './Icon';

export const tabIcons: Record<Tab['kind'], IconName> = {
  hosts: 'server',
  tunnels: 'tunnel',
  settings: 'settings',
  'add-site': 'plus',
  site: 'key',
  terminal: 'terminal',
};

export const tabDomId = (tab: Tab) => `tab-${tab.id}`;
export const panelDomId = (tab: Tab) => `panel-${tab.id}`;

/**
 * WAI-ARIA tabs with automatic activation: arrows/Home/End move and select, Delete closes.
 * Only the selected tab is in the Tab order; its close button is reachable by mouse and by
 * Delete / Ctrl+W, which keeps the tablist one tab stop.
 */
export function TabBar() {
  const { state, dispatch } = useTabs();
  const listRef = useRef<HTMLDivElement>(null);

  // A tab opened or selected beyond the visible part of a full bar scrolls into view.
  useEffect(() => {
    if (!state.activeId) return;
    listRef.current
      ?.querySelector<HTMLElement>(`#tab-${CSS.escape(state.activeId)}`)
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [state.activeId]);

  const focusTab = (id: string) => {
    requestAnimationFrame(() =>
      listRef.current?.querySelector<HTMLElement>(`#tab-${CSS.escape(id)}`)?.focus(),
    );
  };

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const { tabs } = state;
    let next: Tab | undefined;
    if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
    else if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === 'Home') next = tabs[0];
    else if (event.key === 'End') next = tabs.at(-1);
    else if (event.key === 'Delete') {
      event.preventDefault();
      const tab = tabs[index]!;
      const neighbour = tabs[index - 1] ?? tabs[index + 1];
      dispatch({ type: 'close', id: tab.id });
      if (neighbour) focusTab(neighbour.id);
      return;
    }
    if (next) {
      event.preventDefault();
      dispatch({ type: 'activate', id: next.id });
      focusTab(next.id);
    }
  };

  return (
    <div className="tabbar" role="tablist" aria-label="Open views" ref={listRef}>
      {state.tabs.map((tab, index) => {
        const selected = tab.id === state.activeId;
        return (
          <div key={tab.id} className={selected ? 'tab tab-selected' : 'tab'} role="presentation">
            <button
              type="button"
              role="tab"
              id={tabDomId(tab)}
              aria-selected={selected}
              aria-controls={panelDomId(tab)}
              tabIndex={selected ? 0 : -1}
              className="tab-button"
              onClick={() => dispatch({ type: 'activate', id: tab.id })}
              onKeyDown={(event) => onKeyDown(event, index)}
              onAuxClick={(event) => event.button === 1 && dispatch({ type: 'close', id: tab.id })}
            >
              <Icon name={tabIcons[tab.kind]} size={14} />
              <span className="tab-title" title={tab.title}>
                {tab.title}
              </span>
              {tab.kind === 'terminal' && <TerminalTabState tabId={tab.id} />}
              {index < 9 && <span className="visually-hidden">, Ctrl+{index + 1}</span>}
            </button>
            <button
              type="button"
              className="tab-close"
              tabIndex={-1}
              aria-label={`Close ${tab.title}`}
              title="Close (Ctrl+W)"
              onClick={() => dispatch({ type: 'close', id: tab.id })}
            >
              <Icon name="close" size={12} />
            </button>
          </div>
        );
      })}
    </div>
  );
}
