import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ContractError } from '../../../../shared/contract/errors';
import type { TunnelProfile } from '../../../../shared/model/settings';
import { Checkbox } from '../../components/Checkbox';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { useClient, useSettings, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { FormError } from '../firstRun/FormError';
import { ForwardRows } from './ForwardRows';
import { LauncherFields } from './LauncherFields';
import {
  draftOf,
  fieldErrorsOf,
  networkBindWarnings,
  parseDraft,
  type TunnelDraft,
} from './tunnelForm';

/**
 * Add or edit a tunnel profile in a modal dialog. The core validates (ports, clashes with other
 * profiles, the via syntax); its messages appear under the fields and the input stays as typed.
 * A bind address reachable from the network is saved only after the user confirms the core's
 * warning.
 */
export function TunnelEditor({
  profile,
  onClose,
  onRemove,
}: {
  /** null adds a new profile. */
  profile: TunnelProfile | null;
  onClose: () => void;
  onRemove: (profile: TunnelProfile) => void;
}) {
  const settings = useSettings();
  const client = useClient();
  const store = useStore();
  const [draft, setDraft] = useState<TunnelDraft>(() => draftOf(profile, settings.sites[0]?.name));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmNetwork, setConfirmNetwork] = useState<Record<string, string>>({});
  const ref = useRef<HTMLDialogElement>(null);
  const networkRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const viaListId = useId();
  const set = (patch: Partial<TunnelDraft>) => setDraft((d) => ({ ...d, ...patch }));

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const warningCount = Object.keys(confirmNetwork).length;
  useEffect(() => {
    if (warningCount > 0) networkRef.current?.scrollIntoView({ block: 'nearest' });
  }, [warningCount]);

  const save = async (allowNetworkBind: boolean) => {
    const parsed = parseDraft(draft);
    setConfirmNetwork({});
    if (!parsed.ok) {
      setFields(parsed.fields);
      setError('Please correct the highlighted fields.');
      return;
    }
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const { profile: saved } = await client.call('tunnels.save', {
        profile: parsed.profile,
        ...(profile ? { previousName: profile.name } : {}),
        ...(allowNetworkBind ? { allowNetworkBind: true } : {}),
      });
      store.toast(`${profile ? 'Saved' : 'Added'} ${saved.name}.`, 'success');
      onClose();
    } catch (caught) {
      const next = fieldErrorsOf(caught instanceof ContractError ? caught.fields : undefined);
      const warnings = allowNetworkBind ? {} : networkBindWarnings(draft, next);
      const others = Object.keys(next).filter((key) => !(key in warnings));
      setFields(next);
      setConfirmNetwork(warnings);
      setError(
        others.length > 0
          ? 'Please correct the highlighted fields.'
          : Object.keys(warnings).length > 0
            ? null
            : messageOf(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };

  const siteHosts = settings.hosts.filter((h) => (draft.site ? h.site === draft.site : !h.site));
  const site = settings.sites.find((s) => s.name === draft.site);
  const warningList = Object.values(confirmNetwork);
  // The network warning reads once, in the confirmation below, not under the field as well.
  const rowErrors = Object.fromEntries(
    Object.entries(fields).filter(([key]) => !(key in confirmNetwork)),
  );

  return (
    <dialog
      ref={ref}
      className="dialog tunnel-editor"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form className="tunnel-editor-form" onSubmit={onSubmit} noValidate>
        <h2 id={titleId} className="dialog-title">
          {profile ? `Edit ${profile.name}` : 'Add a tunnel'}
        </h2>
        <div className="dialog-body tunnel-editor-fields">
          <div className="field-row tunnel-editor-top">
            <Field
              label="Name"
              value={draft.name}
              onChange={(e) => set({ name: e.target.value })}
              error={fields.name}
              placeholder="ecFlow SOCKS"
              autoFocus
              autoComplete="off"
            />
            <div className={fields.site ? 'field field-invalid' : 'field'}>
              <label className="field-label" htmlFor={`${titleId}-site`}>
                Site
              </label>
              <select
                id={`${titleId}-site`}
                className="input"
                value={draft.site}
                onChange={(e) => set({ site: e.target.value })}
              >
                {settings.sites.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.title ? `${s.title} (${s.name})` : s.name}
                  </option>
                ))}
                <option value="">No site</option>
              </select>
              {fields.site && <p className="field-error">{fields.site}</p>}
            </div>
          </div>
          <Field
            label="Via"
            value={draft.via}
            onChange={(e) => set({ via: e.target.value })}
            error={fields.via}
            placeholder="alice@workstation1"
            list={viaListId}
            hint={
              <>
                The host whose sshd performs the forwards, as <code>[login@]host[:port]</code> or a
                saved host&apos;s name{site ? `; reached through ${site.title ?? site.name}` : ''}.
              </>
            }
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id={viaListId}>
            {siteHosts.map((h) => (
              <option key={h.name} value={h.name}>
                {h.login ? `${h.login}@` : ''}
                {h.hostName}
              </option>
            ))}
          </datalist>
          <ForwardRows
            forwards={draft.forwards}
            errors={rowErrors}
            flagged={confirmNetwork}
            onChange={(forwards) => set({ forwards })}
          />
          {warningList.length > 0 && (
            <div className="network-confirm" role="alert" ref={networkRef}>
              <p className="network-confirm-title">
                <Icon name="warning" size={15} />
                This tunnel would be reachable from the network
              </p>
              {warningList.map((message) => (
                <p key={message}>{message}</p>
              ))}
              <div className="network-confirm-actions">
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={() => {
                    set({
                      forwards: draft.forwards.map((f, i) =>
                        `forwards.${String(i)}.bindAddress` in confirmNetwork
                          ? { ...f, bindAddress: '127.0.0.1' }
                          : f,
                      ),
                    });
                    setConfirmNetwork({});
                    setFields({});
                  }}
                >
                  Use 127.0.0.1 instead
                </button>
                <button
                  type="button"
                  className="btn btn-sm btn-danger"
                  disabled={busy}
                  onClick={() => void save(true)}
                >
                  Listen on the network and save
                </button>
              </div>
            </div>
          )}
          <Checkbox
            label="Start after each sign-in"
            hint={
              site
                ? `Starts when you sign in to ${site.title ?? site.name}; you are notified if it fails.`
                : 'Starts after each sign-in; you are notified if it fails.'
            }
            checked={draft.autostart}
            onChange={(autostart) => set({ autostart })}
          />
          <LauncherFields
            launcher={draft.launcher}
            errors={fields}
            onChange={(launcher) => set({ launcher })}
          />
          <FormError message={error} />
        </div>
        <div className="dialog-actions">
          {profile && (
            <button
              type="button"
              className="btn btn-danger-ghost tunnel-editor-remove"
              onClick={() => onRemove(profile)}
            >
              Remove tunnel…
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : profile ? 'Save' : 'Add tunnel'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
