/**
 * The sign-in service: runs an issuer's browser flow with progress and cancel, checks the result
 * against the generated key, stores it in the vault, and keeps every UI's certificate status
 * current — waking up exactly when a certificate starts expiring or expires (for the tray and
 * notifications) and renewing silently where a refresh token allows it.
 */
import type { SiteStatus } from '../../../shared/model/certificate';
import type { Site } from '../../../shared/model/settings';
import { ContractError } from '../../../shared/contract';
import {
  certificateMatchesKey,
  parseCertificateLine,
  parsePrivateKey,
} from '../credentials/sshKeys';
import { Vault, VaultError, type SiteCredentials } from '../credentials/vault';
import type { EventBus } from '../events/bus';
import type { SettingsStore } from '../settings/store';
import type { OpenUrl } from './browser';
import type { Issuer, SignInOptions, SignInPhase } from './issuer';
import type { TshProfile } from '../credentials/tsh';
import { nextTransition, siteStatus, tshStatus } from './status';

export const CLOCK_SKEW_WARNING_MS = 2 * 60 * 1000;
const TEN_MINUTES_MS = 10 * 60 * 1000;
/** setTimeout's limit; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type CredentialsListener = (site: string, credentials: SiteCredentials | undefined) => void;

export interface OpenedVaultLike {
  vault: Vault;
  warning?: string;
  /** Why there is no keychain (session-only vault), in plain words. */
  keychainError?: Error;
}

export interface SignInServiceOptions {
  settings: SettingsStore;
  bus: EventBus;
  issuers: Partial<Record<Site['kind'], Issuer>>;
  /** Opens (or creates) the vault; called once, on first need. */
  openVault: () => Promise<OpenedVaultLike>;
  /** Moves an unreadable vault aside so a new sign-in can start afresh. */
  resetVault?: () => Promise<void>;
  openUrl: OpenUrl;
  now?: () => Date;
  log?: (message: string) => void;
  /**
   * Refuse to sign in when only a session-only vault is available. The CLI sets this: its
   * process ends with the command, so credentials kept in memory would be lost at once.
   */
  requirePersistentVault?: boolean;
  /** Existing `tsh` logins to show read-only beside the sites (never written to). */
  readTshProfiles?: () => Promise<TshProfile[]>;
}

interface Pending {
  controller: AbortController;
  phase: SignInPhase;
  url: string | null;
  startedAt: string;
}

export class SignInService {
  readonly #options: SignInServiceOptions;
  readonly #now: () => Date;
  #vault: Promise<OpenedVaultLike> | undefined;
  readonly #pending = new Map<string, Pending>();
  readonly #problems = new Map<string, string>();
  /** `site|validBefore|mark` already announced, so each alert fires once per certificate. */
  readonly #alerted = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #credentialListeners = new Set<CredentialsListener>();

  constructor(options: SignInServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The stored credentials of a site (undefined when signed out); for SSH and the hand-off. */
  async credentials(siteName: string): Promise<SiteCredentials | undefined> {
    const { vault } = await this.#openVault();
    return vault.get(siteName);
  }

  /**
   * Told after credentials are stored (sign-in, renewal) or removed (sign-out), so SSH
   * sessions, tunnels and the OpenSSH hand-off can follow. Returns an unsubscribe function.
   */
  onCredentialsChanged(listener: CredentialsListener): () => void {
    this.#credentialListeners.add(listener);
    return () => this.#credentialListeners.delete(listener);
  }

  #credentialsChanged(site: string, credentials: SiteCredentials | undefined): void {
    for (const listener of this.#credentialListeners) {
      try {
        listener(site, credentials);
      } catch (error) {
        this.#options.log?.(`onehop: a credentials listener failed: ${describe(error)}`);
      }
    }
  }

  async vaultInfo(): Promise<{ mode: 'keychain' | 'session-only'; warning: string | null }> {
    const opened = await this.#openVault();
    return { mode: opened.vault.mode, warning: opened.warning ?? null };
  }

  /** Status of every site, recomputed now; also re-arms the clock-driven updates. */
  async statuses(): Promise<SiteStatus[]> {
    const sites = this.#options.settings.get().sites;
    const now = this.#now();
    const expiringThresholdMs = this.#expiringThresholdMs();
    let stored: Record<string, SiteCredentials | undefined> = {};
    let vaultProblem: string | undefined;
    try {
      const { vault } = await this.#openVault();
      stored = await vault.entries();
    } catch (error) {
      vaultProblem = describe(error);
    }
    const tshProfiles = await this.#tshProfiles();
    const statuses = sites.map((site) => {
      const pending = this.#pending.get(site.name);
      return siteStatus(site, stored[site.name], {
        now,
        expiringThresholdMs,
        signingIn: pending
          ? { phase: pending.phase, url: pending.url, startedAt: pending.startedAt }
          : null,
        problem: this.#problems.get(site.name) ?? vaultProblem ?? null,
      });
    });
    for (const profile of tshProfiles)
      statuses.push(tshStatus(profile, { now, expiringThresholdMs }));
    this.#arm(statuses, now);
    return statuses;
  }

  async signIn(
    siteName: string,
    options: SignInOptions,
  ): Promise<{ status: SiteStatus; warnings: string[] }> {
    const site = this.#site(siteName);
    const issuer = this.#options.issuers[site.kind];
    if (!issuer) {
      throw new ContractError({
        code: 'invalid-request',
        message: `Signing in to ${site.kind} sites is not available in this build of OneHop.`,
      });
    }
    if (this.#pending.has(site.name)) {
      throw new ContractError({
        code: 'conflict',
        message: `A sign-in to ${site.name} is already in progress; finish it in the browser or cancel it.`,
      });
    }
    const opened = await this.#openVaultForWriting();
    if (opened.vault.mode === 'session-only' && this.#options.requirePersistentVault) {
      throw new ContractError({
        code: 'storage',
        message: `${opened.keychainError?.message ?? 'No keychain is available.'} The CLI cannot keep credentials in memory between commands; sign in from the OneHop app, or make a keychain available.`,
      });
    }
    const warnings: string[] = [];
    const pending: Pending = {
      controller: new AbortController(),
      phase: 'discovering',
      url: null,
      startedAt: this.#now().toISOString(),
    };
    this.#pending.set(site.name, pending);
    this.#problems.delete(site.name);
    await this.#announce();
    try {
      const result = await issuer.signIn(site, options, {
        signal: pending.controller.signal,
        onWarning: (message) => warnings.push(message),
        onProgress: (phase, detail) => {
          pending.phase = phase;
          if (detail?.url) pending.url = detail.url;
          void this.#announce();
        },
        openBrowser: async (url) => {
          try {
            await this.#options.openUrl(url);
          } catch (error) {
            // The link is shown in the window and printed by the CLI; the sign-in goes on.
            warnings.push(`${describe(error)} Open the sign-in link yourself.`);
          }
        },
      });
      const credentials: SiteCredentials = {
        ...result.credentials,
        obtainedAt: this.#now().toISOString(),
      };
      assertCertificateForKey(credentials);
      if (
        result.clockSkewMs !== undefined &&
        Math.abs(result.clockSkewMs) > CLOCK_SKEW_WARNING_MS
      ) {
        warnings.push(clockSkewWarning(result.clockSkewMs));
      }
      await opened.vault.put(site.name, credentials);
      this.#forgetAlerts(site.name);
      this.#credentialsChanged(site.name, credentials);
    } catch (error) {
      const failure = asContractError(error);
      // Issuers report a cancel with their own error types; it is not a problem to show.
      if (failure.code !== 'cancelled') this.#problems.set(site.name, describe(error));
      this.#pending.delete(site.name);
      await this.#announce();
      throw failure;
    } finally {
      this.#pending.delete(site.name);
    }
    return { status: await this.#announceSite(site.name), warnings };
  }

  cancel(siteName: string): boolean {
    const pending = this.#pending.get(siteName);
    if (!pending) return false;
    pending.controller.abort(
      new ContractError({ code: 'cancelled', message: 'Sign-in cancelled.' }),
    );
    return true;
  }

  async signOut(siteName: string): Promise<SiteStatus> {
    const site = this.#site(siteName);
    this.cancel(site.name);
    const { vault } = await this.#openVault();
    await vault.remove(site.name);
    this.#problems.delete(site.name);
    this.#forgetAlerts(site.name);
    this.#credentialsChanged(site.name, undefined);
    return this.#announceSite(site.name);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const name of [...this.#pending.keys()]) this.cancel(name);
  }

  /** Recompute and push the status to every UI; undefined when it could not be computed. */
  async #announce(): Promise<SiteStatus[] | undefined> {
    if (this.#closed) return undefined;
    try {
      const statuses = await this.statuses();
      this.#options.bus.emit('signin.status', { sites: statuses });
      return statuses;
    } catch (error) {
      this.#options.log?.(`onehop: could not compute the sign-in status: ${describe(error)}`);
      return undefined;
    }
  }

  /** Announce, and return one site's status from the same computation. */
  async #announceSite(site: string): Promise<SiteStatus> {
    const statuses = (await this.#announce()) ?? (await this.statuses());
    return statuses.find((s) => s.site === site)!;
  }

  #arm(statuses: SiteStatus[], now: Date): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    const marks = [this.#expiringThresholdMs(), TEN_MINUTES_MS];
    // A certificate already expiring (app started late, laptop woke up) renews now, not at a mark.
    const renewalDue = statuses.some(
      (s) => s.state === 'expiring' && s.canRenewSilently && !this.#alerted.has(renewKey(s)),
    );
    const next = renewalDue ? now : nextTransition(statuses, now, marks);
    if (!next) return;
    const wait = Math.min(Math.max(next.getTime() - now.getTime(), 0) + 50, MAX_TIMER_MS);
    this.#timer = setTimeout(() => void this.#onClock(), wait);
    // A pending status update must never keep the CLI process alive.
    this.#timer.unref();
  }

  async #onClock(): Promise<void> {
    const statuses = await this.statuses();
    this.#options.bus.emit('signin.status', { sites: statuses });
    for (const status of statuses) {
      if (await this.#renewIfDue(status)) continue;
      this.#alertIfDue(status);
    }
  }

  /**
   * Silent renewal (OIDC refresh token): once a certificate starts expiring, get a new key and
   * certificate without the browser. Returns true when it renewed, so no expiry alert is shown.
   */
  async #renewIfDue(status: SiteStatus): Promise<boolean> {
    if (status.state !== 'expiring' || !status.canRenewSilently || this.#pending.has(status.site)) {
      return false;
    }
    const key = renewKey(status);
    if (this.#alerted.has(key)) return false;
    this.#alerted.add(key);
    const site = this.#options.settings.get().sites.find((s) => s.name === status.site);
    const issuer = site && this.#options.issuers[site.kind];
    if (!site || !issuer?.renew) return false;
    try {
      const { vault } = await this.#openVault();
      const stored = await vault.get(site.name);
      if (!stored) return false;
      const controller = new AbortController();
      const result = await issuer.renew(site, stored, { signal: controller.signal });
      if (!result) return false;
      const now = this.#now().toISOString();
      const credentials: SiteCredentials = {
        ...result.credentials,
        obtainedAt: now,
        extra: { ...result.credentials.extra, renewedAutomaticallyAt: now },
      };
      assertCertificateForKey(credentials);
      await vault.put(site.name, credentials);
      this.#forgetAlerts(site.name);
      this.#credentialsChanged(site.name, credentials);
      this.#options.bus.emit('signin.alert', {
        site: site.name,
        kind: 'renewed',
        message: `Your ${site.name} certificate was renewed automatically.`,
      });
      await this.#announce();
      return true;
    } catch (error) {
      this.#options.bus.emit('signin.alert', {
        site: status.site,
        kind: 'renewal-failed',
        message: `Automatic renewal for ${status.site} failed: ${describe(error)}`,
      });
      return false;
    }
  }

  #alertIfDue(status: SiteStatus): void {
    if (!status.validBefore || status.remainingSeconds === null) return;
    const remainingMs = status.remainingSeconds * 1000;
    const mark =
      status.state === 'expired'
        ? 'expired'
        : remainingMs <= TEN_MINUTES_MS
          ? 'expires-in-10'
          : status.state === 'expiring'
            ? 'expires-in-60'
            : undefined;
    if (!mark) return;
    const key = `${status.site}|${status.validBefore}|${mark}`;
    if (this.#alerted.has(key)) return;
    this.#alerted.add(key);
    const minutes = Math.max(0, Math.ceil(remainingMs / 60000));
    this.#options.bus.emit('signin.alert', {
      site: status.site,
      kind: mark,
      message:
        mark === 'expired'
          ? `Your ${status.site} certificate has expired. Sign in again to reconnect.`
          : `Your ${status.site} certificate expires in ${minutes} min. Renew it to keep terminals and tunnels running.`,
    });
  }

  #forgetAlerts(site: string): void {
    for (const key of [...this.#alerted]) if (key.startsWith(`${site}|`)) this.#alerted.delete(key);
  }

  async #tshProfiles(): Promise<TshProfile[]> {
    if (!this.#options.readTshProfiles) return [];
    try {
      return await this.#options.readTshProfiles();
    } catch (error) {
      // An unreadable ~/.tsh must not hide OneHop's own sites.
      this.#options.log?.(`onehop: could not read the tsh profiles: ${describe(error)}`);
      return [];
    }
  }

  #expiringThresholdMs(): number {
    return this.#options.settings.get().ui.expiryWarningMinutes * 60 * 1000;
  }

  #site(name: string): Site {
    const site = this.#options.settings.get().sites.find((s) => s.name === name);
    if (!site) throw new ContractError({ code: 'not-found', message: `Unknown site "${name}".` });
    return site;
  }

  #openVault(): Promise<OpenedVaultLike> {
    this.#vault ??= this.#options.openVault().catch((error: unknown) => {
      this.#vault = undefined; // let the next call try again (keychain unlocked meanwhile…)
      throw error;
    });
    return this.#vault;
  }

  /** Like #openVault, but an unreadable vault is moved aside (never deleted) to start afresh. */
  async #openVaultForWriting(): Promise<OpenedVaultLike> {
    try {
      return await this.#openVault();
    } catch (error) {
      if (!(error instanceof VaultError) || !this.#options.resetVault) throw asContractError(error);
      await this.#options.resetVault();
      this.#options.bus.emit('notice', {
        id: `vault-reset-${Date.now()}`,
        level: 'warning',
        title: 'Stored credentials could not be read',
        message: `${describe(error)} The unreadable vault was moved aside and this sign-in starts afresh.`,
      });
      return this.#openVault();
    }
  }
}

function renewKey(status: SiteStatus): string {
  return `${status.site}|${status.validBefore}|renew`;
}

/** A second, issuer-independent guard: never store a certificate for another key. */
function assertCertificateForKey(credentials: SiteCredentials): void {
  const cert = parseCertificateLine(credentials.certificate);
  const key = parsePrivateKey(credentials.privateKeyPem, 'the new private key');
  if (cert.type !== 'user' || !certificateMatchesKey(cert, key.publicKey.blob)) {
    throw new ContractError({
      code: 'remote',
      message:
        'The issuer returned a certificate that is not for the key OneHop generated; nothing was stored.',
    });
  }
}

function clockSkewWarning(skewMs: number): string {
  const minutes = Math.round(Math.abs(skewMs) / 60000);
  const direction = skewMs > 0 ? 'behind' : 'ahead of';
  return `This computer's clock is about ${minutes} min ${direction} the sign-in server's; certificates may look expired or not yet valid. Set the clock automatically.`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asContractError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  const name = (error as { name?: string } | undefined)?.name;
  const code = (error as { code?: string } | undefined)?.code;
  if (name === 'AbortError' || code === 'cancelled') {
    return new ContractError({ code: 'cancelled', message: 'Sign-in cancelled.' });
  }
  if (error instanceof VaultError)
    return new ContractError({ code: 'storage', message: error.message });
  return new ContractError({ code: 'remote', message: describe(error) });
}
