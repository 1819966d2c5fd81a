/**
 * Runtime snapshots (what `tunnels.status` and the change events carry) for tunnels that are
 * not running: never started, ended, or unable to start. A running tunnel's comes from its run.
 */
import type { Forward, TunnelProfile } from '../../../shared/model/settings';
import type { ForwardRuntime, LauncherRuntime, TunnelRuntime } from '../../../shared/model/tunnel';
import { newCounters, type ForwardServer } from './forwarding/common';
import { forwardLabel } from './validation';

/** One forward as shown: its server's port and counters, or the profile's values when closed. */
export function forwardRuntime(forward: Forward, server: ForwardServer | null): ForwardRuntime {
  const counters = server?.counters() ?? newCounters();
  return {
    kind: forward.kind,
    label: forwardLabel(forward),
    bindAddress: forward.bindAddress,
    bindPort: server?.port ?? forward.bindPort,
    listening: server?.listening() ?? false,
    ...counters,
  };
}

/** A tunnel that has not run since the app started (or an unknown name: no forwards). */
export function stoppedSnapshot(
  name: string,
  profile: TunnelProfile | undefined,
  launcher: LauncherRuntime | null,
): TunnelRuntime {
  return {
    name,
    state: 'stopped',
    reason: null,
    forwards: (profile?.forwards ?? []).map((f) => forwardRuntime(f, null)),
    events: [],
    launcher,
  };
}

/** A profile that could not even begin (its via host does not parse). */
export function failedSnapshot(
  profile: TunnelProfile,
  reason: string,
  launcher: LauncherRuntime | null,
): TunnelRuntime {
  return {
    name: profile.name,
    state: 'failed',
    reason,
    forwards: profile.forwards.map((f) => forwardRuntime(f, null)),
    events: [{ at: new Date().toISOString(), level: 'error', message: reason }],
    launcher,
  };
}

/** What is kept of a run that ended: its last snapshot, with the listeners shown closed. */
export function endedSnapshot(last: TunnelRuntime): TunnelRuntime {
  return {
    ...last,
    forwards: last.forwards.map((f) => ({ ...f, listening: false, activeConnections: 0 })),
  };
}

/** An ended run as shown later: its reason and events, with the launcher as it is now. */
export function finalSnapshot(
  final: TunnelRuntime,
  profile: TunnelProfile | undefined,
  launcher: LauncherRuntime | null,
): TunnelRuntime {
  // The profile may have been edited since: show its forwards as they are now, keeping the
  // totals of the last run for the forwards that did not change (a stop keeps its numbers).
  const forwards = profile
    ? profile.forwards.map((f) => {
        const fresh = forwardRuntime(f, null);
        return final.forwards.find((last) => last.label === fresh.label) ?? fresh;
      })
    : final.forwards;
  return { ...final, forwards, launcher };
}
