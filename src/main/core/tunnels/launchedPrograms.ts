/**
 * The programs started by tunnels' launchers, by tunnel name. An entry stays after its program
 * exits, so the snapshot can show how it ended.
 */
import { ContractError } from '../../../shared/contract/errors';
import type { TunnelProfile } from '../../../shared/model/settings';
import type { LauncherRuntime } from '../../../shared/model/tunnel';
import { runLauncher, type LauncherHandle } from './launcher';

export class LaunchedPrograms {
  private readonly handles = new Map<string, LauncherHandle>();

  constructor(
    /** Where launchers' proxychains configurations are written. */
    private readonly confDir: string,
    /** A launcher's state moved. */
    private readonly changed: () => void,
  ) {}

  /** Throws a ContractError when the profile has no launcher, or it is not turned on yet. */
  static check(profile: TunnelProfile): void {
    const { name, launcher } = profile;
    if (!launcher) {
      throw new ContractError({
        code: 'invalid-request',
        message: `The tunnel "${name}" has no launcher; add one in the tunnel's settings.`,
      });
    }
    if (!launcher.enabled) {
      throw new ContractError({
        code: 'conflict',
        message: `The launcher of "${name}" is off until you confirm that ${launcher.command} is installed; turn it on in the tunnel's settings.`,
      });
    }
  }

  /** Runs the profile's launcher once `ready` resolves (it rejects with the reason not to). */
  launch(profile: TunnelProfile, ready: () => Promise<void>): void {
    const handle = runLauncher({
      profile,
      confDir: this.confDir,
      ready,
      onChange: () => this.changed(),
    });
    this.handles.set(profile.name, handle);
  }

  /** Stops the program a launcher started (by PID). */
  async stop(name: string): Promise<void> {
    await this.handles.get(name)?.stop();
  }

  runtime(name: string): LauncherRuntime | null {
    return this.handles.get(name)?.runtime() ?? null;
  }
}
