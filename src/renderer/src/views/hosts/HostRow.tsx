import type { KeyboardEvent } from 'react';
import type { Host, Site } from '../../../../shared/model/settings';
import { Icon } from '../../components/Icon';
import { useClient, useStore } from '../../state/context';
import { useOpenTerminal } from '../terminal/TerminalContext';
import { FavouriteButton } from './FavouriteButton';

export interface HostActions {
  edit: (host: Host) => void;
  remove: (host: Host) => void;
}

function routeLabel(host: Host, site: Site | undefined): string {
  if (host.route === 'direct') return 'direct';
  if (!site) return 'through jump';
  if (site.kind === 'teleport') return `through ${site.proxy.host}`;
  return site.bastion ? `through ${site.bastion.host}` : 'direct (no bastion)';
}

/** Moves focus between rows with the arrow keys (one list across all groups). */
function moveFocus(from: HTMLElement, delta: number) {
  const rows = [...document.querySelectorAll<HTMLElement>('[data-host-row]')];
  const next = rows[rows.indexOf(from) + delta];
  next?.focus();
}

export function HostRow({
  host,
  site,
  actions,
}: {
  host: Host;
  site: Site | undefined;
  actions: HostActions;
}) {
  const store = useStore();
  const client = useClient();
  const open = useOpenTerminal();
  const openTerminal = () => open(host);
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') openTerminal();
    else if (event.key === 'e' || event.key === 'E') actions.edit(host);
    else if (event.key === 'Delete') actions.remove(host);
    else if (event.key === 'ArrowDown') moveFocus(event.currentTarget, 1);
    else if (event.key === 'ArrowUp') moveFocus(event.currentTarget, -1);
    else if (event.key === 'f' || event.key === 'F') {
      void client
        .call('hosts.setFavourite', { name: host.name, favourite: !host.favourite })
        .catch((error: unknown) =>
          store.toast(error instanceof Error ? error.message : String(error), 'error'),
        );
    } else return;
    event.preventDefault();
  };
  const address = host.port === 22 ? host.hostName : `${host.hostName}:${host.port}`;
  return (
    <tr
      className="host-row"
      tabIndex={0}
      data-host-row
      aria-label={`${host.name}${host.favourite ? ', favourite' : ''}, ${address}, ${routeLabel(host, site)}`}
      onDoubleClick={openTerminal}
      onKeyDown={onKeyDown}
    >
      <td className="col-star">
        <FavouriteButton host={host} />
      </td>
      <td className="col-name">
        <Icon name="server" className="host-icon" />
        <span className="host-name">{host.name}</span>
      </td>
      <td className="col-address mono">
        {host.hostName}
        <span className="muted">:{host.port}</span>
      </td>
      <td className="col-login">
        {host.login ? (
          <span className="mono">{host.login}</span>
        ) : (
          <span className="muted">from certificate</span>
        )}
      </td>
      <td className="col-route">
        <span className={host.route === 'jump' ? 'route route-jump' : 'route'}>
          {routeLabel(host, site)}
        </span>
      </td>
      <td className="col-actions">
        <div className="host-actions">
          <button
            type="button"
            className="icon-btn"
            tabIndex={-1}
            aria-label={`Edit ${host.name}`}
            title="Edit (E)"
            onClick={() => actions.edit(host)}
          >
            <Icon name="pencil" size={14} />
          </button>
          <button
            type="button"
            className="icon-btn"
            tabIndex={-1}
            aria-label={`Remove ${host.name}`}
            title="Remove (Delete)"
            onClick={() => actions.remove(host)}
          >
            <Icon name="trash" size={14} />
          </button>
          <button
            type="button"
            className="btn btn-sm"
            tabIndex={-1}
            aria-label={`Open terminal to ${host.name}`}
            title="Open terminal (Enter)"
            onClick={openTerminal}
          >
            <Icon name="terminal" size={14} />
            Open
          </button>
        </div>
      </td>
    </tr>
  );
}
