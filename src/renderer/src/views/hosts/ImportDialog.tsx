import { useEffect, useId, useRef, useState } from 'react';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Checkbox } from '../../components/Checkbox';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { FormError } from '../firstRun/FormError';
import {
  forwardText,
  hostAddress,
  importRequest,
  initialSelection,
  networkBindChosen,
  nothingToImport,
  selectable,
  shortSource,
  statusLabels,
  summaryText,
  toggled,
  type CandidateStatus,
  type ImportPreview,
  type ImportResult,
  type ImportSelection,
} from './importModel';

const statusTones: Record<CandidateStatus, BadgeTone> = {
  new: 'accent',
  'already-present': 'neutral',
  'name-taken': 'warning',
};

/**
 * Import hosts and tunnel profiles from ~/.ssh/config: a preview first (with where each entry
 * comes from and what the parser skipped), the user's choice, then the import and its summary.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const store = useStore();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [selection, setSelection] = useState<ImportSelection>({
    hosts: new Set(),
    tunnels: new Set(),
  });
  const [allowNetworkBind, setAllowNetworkBind] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  useEffect(() => {
    let cancelled = false;
    void client.call('openssh.importPreview', {}).then(
      (next) => {
        if (cancelled) return;
        setPreview(next);
        setSelection(initialSelection(next));
      },
      (caught: unknown) => {
        if (!cancelled) setError(messageOf(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  const networkBind = preview ? networkBindChosen(preview, selection) : [];
  const chosen = selection.hosts.size + selection.tunnels.size;
  const canImport = chosen > 0 && (networkBind.length === 0 || allowNetworkBind) && !busy;

  const runImport = async () => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await client.call(
        'openssh.import',
        importRequest(selection, allowNetworkBind),
      );
      setResult(outcome);
      store.toast(summaryText(outcome), 'success');
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog import-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        Import from ~/.ssh/config
      </h2>
      <div className="dialog-body import-body">
        {result ? (
          <ImportSummary result={result} />
        ) : !preview ? (
          error ? null : (
            <p className="signin-progress" role="status">
              <Spinner /> Reading your SSH configuration…
            </p>
          )
        ) : (
          <>
            <p>
              From <code>{preview.file}</code> and the files it includes. Nothing is saved until you
              press Import; entries OneHop already has are never added twice.
            </p>
            {nothingToImport(preview) && (
              <p className="import-nothing" role="status">
                <Icon name="check" size={14} /> Everything here is already in OneHop.
              </p>
            )}
            <HostTable preview={preview} selection={selection} onSelect={setSelection} />
            <TunnelTable preview={preview} selection={selection} onSelect={setSelection} />
            {preview.hosts.length + preview.tunnels.length === 0 && (
              <p className="muted">No Host sections with a plain name were found.</p>
            )}
            {networkBind.length > 0 && (
              <div className="import-warning" role="alert">
                <Icon name="warning" size={15} />
                <div>
                  <p>
                    <strong>{networkBind.join(', ')}</strong> listen on a network address, not only
                    on this computer: anyone who can reach it could use the tunnel.
                  </p>
                  <Checkbox
                    label="Import these forwards with their network addresses"
                    checked={allowNetworkBind}
                    onChange={setAllowNetworkBind}
                  />
                </div>
              </div>
            )}
            {preview.notices.length > 0 && (
              <details className="import-notices" open>
                <summary>Skipped or changed ({preview.notices.length})</summary>
                <ul>
                  {preview.notices.map((notice) => (
                    <li key={notice}>{shortSource(notice, preview.file)}</li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
        <FormError message={error} />
      </div>
      <div className="dialog-actions">
        {result ? (
          <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!canImport}
              onClick={() => void runImport()}
            >
              {busy ? 'Importing…' : chosen > 0 ? `Import ${chosen}` : 'Import'}
            </button>
          </>
        )}
      </div>
    </dialog>
  );
}

function StatusBadge({ status, networkBind }: { status: CandidateStatus; networkBind?: boolean }) {
  return (
    <span className="import-status">
      <Badge tone={statusTones[status]}>{statusLabels[status]}</Badge>
      {networkBind && status === 'new' && <Badge tone="warning">Network</Badge>}
    </span>
  );
}

function HostTable({
  preview,
  selection,
  onSelect,
}: {
  preview: ImportPreview;
  selection: ImportSelection;
  onSelect: (selection: ImportSelection) => void;
}) {
  if (preview.hosts.length === 0) return null;
  return (
    <table className="import-table" aria-label="Hosts">
      <caption>Hosts</caption>
      <thead>
        <tr>
          <th className="col-check" />
          <th>Name</th>
          <th>Address</th>
          <th>Status</th>
          <th>From</th>
        </tr>
      </thead>
      <tbody>
        {preview.hosts.map((candidate) => {
          const { name } = candidate.host;
          return (
            <tr key={name} data-import-row={name} data-status={candidate.status}>
              <td className="col-check">
                <input
                  type="checkbox"
                  aria-label={`Import host ${name}`}
                  disabled={!selectable(candidate)}
                  checked={selection.hosts.has(name)}
                  onChange={(event) =>
                    onSelect({
                      ...selection,
                      hosts: toggled(selection.hosts, name, event.target.checked),
                    })
                  }
                />
              </td>
              <td className="import-name">{name}</td>
              <td className="mono">
                {hostAddress(candidate.host)}
                {candidate.host.route === 'jump' && candidate.host.site && (
                  <span className="muted"> via {candidate.host.site}</span>
                )}
              </td>
              <td title={candidate.existing ? `Saved as ${candidate.existing}` : undefined}>
                <StatusBadge status={candidate.status} />
              </td>
              <td className="import-source" title={candidate.source}>
                {shortSource(candidate.source, preview.file)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TunnelTable({
  preview,
  selection,
  onSelect,
}: {
  preview: ImportPreview;
  selection: ImportSelection;
  onSelect: (selection: ImportSelection) => void;
}) {
  if (preview.tunnels.length === 0) return null;
  return (
    <table className="import-table" aria-label="Tunnel profiles">
      <caption>Tunnel profiles</caption>
      <thead>
        <tr>
          <th className="col-check" />
          <th>Name</th>
          <th>Forwards</th>
          <th>Status</th>
          <th>From</th>
        </tr>
      </thead>
      <tbody>
        {preview.tunnels.map((candidate) => {
          const { name } = candidate.profile;
          return (
            <tr key={name} data-import-row={name} data-status={candidate.status}>
              <td className="col-check">
                <input
                  type="checkbox"
                  aria-label={`Import tunnel profile ${name}`}
                  disabled={!selectable(candidate)}
                  checked={selection.tunnels.has(name)}
                  onChange={(event) =>
                    onSelect({
                      ...selection,
                      tunnels: toggled(selection.tunnels, name, event.target.checked),
                    })
                  }
                />
              </td>
              <td className="import-name">{name}</td>
              <td className="mono import-forwards">
                {candidate.profile.forwards.map(forwardText).join(' ')}
                <span className="muted"> via {candidate.profile.via}</span>
              </td>
              <td title={candidate.existing ? `Saved as ${candidate.existing}` : undefined}>
                <StatusBadge status={candidate.status} networkBind={candidate.networkBind} />
              </td>
              <td className="import-source" title={candidate.source}>
                {shortSource(candidate.source, preview.file)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const added = [...result.hostsAdded, ...result.tunnelsAdded];
  return (
    <div className="import-summary" role="status">
      <p className="import-summary-head">
        <Icon name="check" size={16} /> {summaryText(result)}
      </p>
      {added.length > 0 && (
        <p>
          Added: <span className="mono">{added.join(', ')}</span>
        </p>
      )}
      {result.skipped.length > 0 && (
        <ul className="import-skipped">
          {result.skipped.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
