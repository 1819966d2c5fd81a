import type { Site, TunnelProfile } from '../../../../shared/model/settings';
import { Badge } from '../../components/Badge';
import { Icon } from '../../components/Icon';
import { ForwardList } from './ForwardList';

export const TUNNEL_START_NOTE = 'Starting and stopping tunnels arrives with the tunnels feature.';

export function TunnelCard({ tunnel, site }: { tunnel: TunnelProfile; site: Site | undefined }) {
  const id = `tunnel-${tunnel.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <article className="tunnel-card" aria-labelledby={`${id}-title`}>
      <header className="tunnel-card-head">
        <Icon name="tunnel" className="tunnel-card-icon" />
        <h2 id={`${id}-title`} className="tunnel-card-title">
          {tunnel.name}
        </h2>
        <Badge tone="neutral" dot>
          Stopped
        </Badge>
        <span className="tunnel-card-spacer" />
        <button
          type="button"
          className="btn btn-sm"
          aria-disabled="true"
          aria-describedby={`${id}-note`}
          title={TUNNEL_START_NOTE}
          onClick={(event) => event.preventDefault()}
        >
          <Icon name="play" size={13} />
          Start
        </button>
      </header>
      <dl className="tunnel-facts">
        <dt>Site</dt>
        <dd>
          {site ? (site.title ?? site.name) : (tunnel.site ?? <span className="muted">none</span>)}
        </dd>
        <dt>Via</dt>
        <dd>
          {tunnel.via ? (
            <code>{tunnel.via}</code>
          ) : (
            <span className="warning-text">not set — choose your workstation</span>
          )}
        </dd>
        <dt>Forwards</dt>
        <dd>
          <ForwardList forwards={tunnel.forwards} />
        </dd>
        {tunnel.launcher && (
          <>
            <dt>Launcher</dt>
            <dd>
              <code>{[tunnel.launcher.command, ...tunnel.launcher.args].join(' ')}</code>{' '}
              <span className="muted">{tunnel.launcher.enabled ? '' : '(off)'}</span>
            </dd>
          </>
        )}
      </dl>
      <p id={`${id}-note`} className="visually-hidden">
        {TUNNEL_START_NOTE}
      </p>
    </article>
  );
}
