/** Command handlers of the sandbox: `sandbox.info` and `sites.addSandbox`. */
import { ContractError } from '../../../shared/contract';
import { SANDBOX_SITE_NAME, type SandboxDescriptor } from '../../../shared/contract/sandbox';
import type { SiteStatus } from '../../../shared/model/certificate';
import type { Preset, Settings } from '../../../shared/model/settings';
import { fingerprintSha256 } from '../credentials/sshKeys';
import type { EventBus } from '../events/bus';
import type { CommandHandlers } from '../rpc/dispatcher';
import { addPresetTo } from '../settings/commands';
import type { SettingsStore } from '../settings/store';
import { sandboxInfo } from './descriptor';

export const NO_SANDBOX_MESSAGE = 'No sandbox is running; start one with `npm run sandbox`.';

/** What the handlers need of the sign-in service (to forget a previous sandbox's certificate). */
export interface SandboxSignIn {
  statuses(): Promise<readonly Pick<SiteStatus, 'site' | 'caFingerprint'>[]>;
  signOut(site: string): Promise<unknown>;
}

export function createSandboxHandlers(
  settings: SettingsStore,
  events: EventBus,
  dataDir: string,
  signIn?: SandboxSignIn,
): Pick<CommandHandlers, 'sandbox.info' | 'sites.addSandbox'> {
  return {
    'sandbox.info': () => sandboxInfo(dataDir),

    'sites.addSandbox': async () => {
      const info = await sandboxInfo(dataDir);
      if (!info.running || !info.descriptor) {
        throw new ContractError({
          code: 'not-found',
          message: info.problem ? `${NO_SANDBOX_MESSAGE} ${info.problem}` : NO_SANDBOX_MESSAGE,
        });
      }
      const descriptor = info.descriptor;
      let replaced = false;
      let preset: Preset = descriptor.preset;
      const next = settings.update((draft) => {
        replaced = removeSite(draft, descriptor.preset.site.name);
        preset = withFreeNames(draft, descriptor);
        addPresetTo(draft, preset);
      });
      events.emit('settings.changed', { settings: next });
      // Every sandbox start makes new CAs: a certificate from an earlier one only fails later.
      const signedOut = signIn ? await forgetStaleCertificate(signIn, descriptor) : false;
      return {
        site: preset.site,
        hosts: preset.hosts.map((h) => h.name),
        tunnels: preset.tunnels.map((t) => t.name),
        replaced,
        signedOut,
      };
    },
  };
}

async function forgetStaleCertificate(
  signIn: SandboxSignIn,
  descriptor: SandboxDescriptor,
): Promise<boolean> {
  const name = descriptor.preset.site.name;
  const status = (await signIn.statuses()).find((s) => s.site === name);
  const blob = Buffer.from(descriptor.proxy.userCaPublicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  if (!status?.caFingerprint || status.caFingerprint === fingerprintSha256(blob)) return false;
  await signIn.signOut(name);
  return true;
}

/** Removes a site with its hosts and tunnel profiles; true when there was one. */
function removeSite(draft: Settings, name: string): boolean {
  if (!draft.sites.some((s) => s.name === name)) return false;
  draft.sites = draft.sites.filter((s) => s.name !== name);
  draft.hosts = draft.hosts.filter((h) => h.site !== name);
  draft.tunnels = draft.tunnels.filter((t) => t.site !== name);
  return true;
}

/**
 * The sandbox's hosts are called like the centre's (`hpc-login`); when another site already has
 * that name, the sandbox's copy gets a `-sandbox` suffix so both stay reachable. Tunnels that go
 * via a renamed host follow it.
 */
function withFreeNames(draft: Settings, descriptor: SandboxDescriptor): Preset {
  const preset = structuredClone(descriptor.preset);
  const renamed = new Map<string, string>();
  for (const host of preset.hosts) {
    if (!draft.hosts.some((h) => h.name === host.name)) continue;
    const name = freeName(host.name, (n) => draft.hosts.some((h) => h.name === n));
    renamed.set(host.name, name);
    host.name = name;
  }
  for (const tunnel of preset.tunnels) {
    const via = renamed.get(tunnel.via);
    if (via) tunnel.via = via;
    if (draft.tunnels.some((t) => t.name === tunnel.name)) {
      tunnel.name = freeName(tunnel.name, (n) => draft.tunnels.some((t) => t.name === n), ' ');
    }
  }
  return preset;
}

function freeName(base: string, taken: (name: string) => boolean, separator = '-'): string {
  const suffix = `${separator}${SANDBOX_SITE_NAME}`;
  for (let i = 1; i < 100; i++) {
    const candidate = i === 1 ? `${base}${suffix}` : `${base}${suffix}${i}`;
    if (!taken(candidate)) return candidate;
  }
  throw new ContractError({
    code: 'conflict',
    message: `Too many entries are called "${base}"; remove some and add the sandbox again.`,
  });
}
