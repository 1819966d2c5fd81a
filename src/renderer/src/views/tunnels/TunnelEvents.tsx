import type { TunnelEvent } from '../../../../shared/model/tunnel';
import { formatEventTime } from './tunnelText';

/** The core's recent events for one tunnel, newest first, folded away until asked for. */
export function TunnelEvents({ events }: { events: TunnelEvent[] }) {
  if (events.length === 0) return null;
  const newest = [...events].reverse();
  return (
    <details className="tunnel-events">
      <summary>
        Recent events <span className="muted">({events.length})</span>
      </summary>
      <ol className="tunnel-event-list">
        {newest.map((event, index) => (
          <li
            key={`${event.at}-${String(index)}`}
            className={`tunnel-event tunnel-event-${event.level}`}
          >
            <time dateTime={event.at}>{formatEventTime(event.at)}</time>
            <span>{event.message}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
