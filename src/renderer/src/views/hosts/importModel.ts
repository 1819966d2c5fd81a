/**
 * The ~/.ssh/config import dialog's choices, kept pure for unit tests: what is ticked at first,
 * what each row's status reads, whether a network-bind forward still needs the user's explicit
 * yes, the request sent to `openssh.import`, and the summary afterwards.
 */
import type { CommandRequest, CommandResponse } from '../../../../shared/contract/commands';
import type { Forward, Host } from '../../../../shared/model/settings';

export type ImportPreview = CommandResponse<'openssh.importPreview'>;
export type ImportResult = CommandResponse<'openssh.import'>;
export type HostCandidate = ImportPreview['hosts'][number];
export type TunnelCandidate = ImportPreview['tunnels'][number];
export type CandidateStatus = HostCandidate['status'];

export interface ImportSelection {
  hosts: Set<string>;
  tunnels: Set<string>;
}

export const statusLabels: Record<CandidateStatus, string> = {
  new: 'New',
  'already-present': 'Already present',
  'name-taken': 'Name taken',
};

/** Every new entry, except forwards that listen on the network: those the user ticks. */
export function initialSelection(preview: ImportPreview): ImportSelection {
  return {
    hosts: new Set(preview.hosts.filter((h) => h.status === 'new').map((h) => h.host.name)),
    tunnels: new Set(
      preview.tunnels
        .filter((t) => t.status === 'new' && !t.networkBind)
        .map((t) => t.profile.name),
    ),
  };
}

export function toggled(set: ReadonlySet<string>, name: string, on: boolean): Set<string> {
  const next = new Set(set);
  if (on) next.add(name);
  else next.delete(name);
  return next;
}

/** Only new entries can be imported; the others are shown for what they are. */
export function selectable(candidate: { status: CandidateStatus }): boolean {
  return candidate.status === 'new';
}

/** Ticked profiles whose forwards listen on non-loopback addresses. */
export function networkBindChosen(preview: ImportPreview, selection: ImportSelection): string[] {
  return preview.tunnels
    .filter((t) => t.networkBind && selection.tunnels.has(t.profile.name))
    .map((t) => t.profile.name);
}

export function importRequest(
  selection: ImportSelection,
  allowNetworkBind: boolean,
  file?: string,
): CommandRequest<'openssh.import'> {
  return {
    ...(file ? { path: file } : {}),
    hosts: [...selection.hosts],
    tunnels: [...selection.tunnels],
    allowNetworkBind,
  };
}

export function nothingToImport(preview: ImportPreview): boolean {
  return ![...preview.hosts, ...preview.tunnels].some(selectable);
}

/** `file:line` shortened to the part below the imported file's folder (`conf.d/work:3`). */
export function shortSource(source: string, file: string): string {
  const separator = file.includes('\\') && !file.includes('/') ? '\\' : '/';
  const folder = file.slice(0, file.lastIndexOf(separator) + 1);
  return folder && source.startsWith(folder) ? source.slice(folder.length) : source;
}

/** `user@host:port` as ssh would be told. */
export function hostAddress(host: Host): string {
  return `${host.login ? `${host.login}@` : ''}${host.hostName}${host.port === 22 ? '' : `:${host.port}`}`;
}

/** `-L 4141:localhost:4141`, `-D 9050`, with the bind address when it is not loopback. */
export function forwardText(forward: Forward): string {
  const address = forward.bindAddress.includes(':')
    ? `[${forward.bindAddress}]`
    : forward.bindAddress;
  const bind = forward.bindAddress !== '127.0.0.1' ? `${address}:` : '';
  return forward.kind === 'dynamic'
    ? `-D ${bind}${forward.bindPort}`
    : `-L ${bind}${forward.bindPort}:${forward.targetHost}:${forward.targetPort}`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One sentence for the summary: what was added, and what was already there. */
export function summaryText(result: ImportResult): string {
  const added: string[] = [];
  if (result.hostsAdded.length) added.push(count(result.hostsAdded.length, 'host', 'hosts'));
  if (result.tunnelsAdded.length)
    added.push(count(result.tunnelsAdded.length, 'tunnel profile', 'tunnel profiles'));
  const head = added.length ? `Imported ${added.join(' and ')}.` : 'Nothing new was imported.';
  const present = result.alreadyPresent.length
    ? ` ${count(result.alreadyPresent.length, 'entry was', 'entries were')} already present.`
    : '';
  return head + present;
}
