import type { Forward } from '../../../../shared/model/settings';
import type { ForwardRuntime } from '../../../../shared/model/tunnel';
import { forwardDescription, forwardLabel, formatBytes } from './tunnelText';

/** The runtime of a profile's forward: same order as the profile, checked by the bind port. */
function runtimeFor(
  forward: Forward,
  index: number,
  runtimes: ForwardRuntime[],
): ForwardRuntime | undefined {
  const same = runtimes[index];
  if (same && same.bindPort === forward.bindPort && same.kind === forward.kind) return same;
  return runtimes.find((r) => r.bindPort === forward.bindPort && r.kind === forward.kind);
}

/** Each forward in ssh notation with its live counters and its last error. */
export function ForwardTable({
  forwards,
  runtimes,
  running,
}: {
  forwards: Forward[];
  runtimes: ForwardRuntime[];
  running: boolean;
}) {
  return (
    <table className="forward-table">
      <thead>
        <tr>
          <th scope="col">Forward</th>
          <th scope="col" className="num">
            Active
          </th>
          <th scope="col" className="num">
            Total
          </th>
          <th scope="col" className="num">
            In
          </th>
          <th scope="col" className="num">
            Out
          </th>
        </tr>
      </thead>
      <tbody>
        {forwards.map((forward, index) => {
          const runtime = runtimeFor(forward, index, runtimes);
          const label = forwardLabel(forward);
          return (
            <tr key={`${label}-${String(index)}`} data-forward={label}>
              <td>
                <div className="forward-cell">
                  <span
                    className={
                      forward.kind === 'dynamic'
                        ? 'forward-kind forward-kind-socks'
                        : 'forward-kind'
                    }
                  >
                    {forward.kind === 'dynamic' ? 'SOCKS' : 'Local'}
                  </span>
                  <span
                    className={
                      running && runtime?.listening ? 'listen-dot listen-dot-on' : 'listen-dot'
                    }
                    title={running && runtime?.listening ? 'Listening' : 'Not listening'}
                    aria-hidden="true"
                  />
                  <code title={forwardDescription(forward)}>{label}</code>
                </div>
                {runtime?.lastError && (
                  <p className="forward-error" data-testid="forward-error">
                    {runtime.lastError}
                  </p>
                )}
              </td>
              <td className="num" data-testid="forward-active">
                {runtime?.activeConnections ?? 0}
              </td>
              <td className="num" data-testid="forward-total">
                {runtime?.totalConnections ?? 0}
              </td>
              <td className="num" data-testid="forward-in" title="Received from the remote side">
                {formatBytes(runtime?.bytesIn ?? 0)}
              </td>
              <td className="num" data-testid="forward-out" title="Sent to the remote side">
                {formatBytes(runtime?.bytesOut ?? 0)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
