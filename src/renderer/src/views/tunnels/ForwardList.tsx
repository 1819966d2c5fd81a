import type { Forward } from '../../../../shared/model/settings';
import { forwardDescription, forwardLabel } from './forwardLabel';

export function ForwardList({ forwards }: { forwards: Forward[] }) {
  return (
    <ul className="forward-list" aria-label="Forwards">
      {forwards.map((forward) => (
        <li key={forwardLabel(forward)} className="forward" title={forwardDescription(forward)}>
          <span
            className={
              forward.kind === 'dynamic' ? 'forward-kind forward-kind-socks' : 'forward-kind'
            }
          >
            {forward.kind === 'dynamic' ? 'SOCKS' : 'Local'}
          </span>
          <code>{forwardLabel(forward)}</code>
        </li>
      ))}
    </ul>
  );
}
