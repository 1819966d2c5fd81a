import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Host } from '../../../../shared/model/settings';
import { Field } from '../../components/Field';
import { useClient, useSettings, useStore } from '../../state/context';
import { FormError } from '../firstRun/FormError';
import { useCommandForm } from '../firstRun/useCommandForm';
import { draftOf, fieldErrorsOf, parseDraft, updateRequest, type HostDraft } from './hostForm';
import { renameRecentHost } from './recentHosts';

/**
 * Add or edit a host in a modal dialog. The core validates; its per-field messages appear under
 * the fields, and the input stays as typed.
 */
export function HostEditor({
  host,
  onClose,
  onRemove,
}: {
  /** null adds a new host. */
  host: Host | null;
  onClose: () => void;
  onRemove: (host: Host) => void;
}) {
  const settings = useSettings();
  const client = useClient();
  const store = useStore();
  const form = useCommandForm();
  const [draft, setDraft] = useState<HostDraft>(() => draftOf(host, settings.sites[0]?.name));
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fields = fieldErrorsOf(form.fields);
  const error = Object.keys(fields).length ? 'Please correct the highlighted fields.' : form.error;
  const set = (patch: Partial<HostDraft>) => setDraft((d) => ({ ...d, ...patch }));

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDraft(draft);
    if (!parsed.ok) {
      form.setFieldErrors(parsed.fields);
      return;
    }
    void form.submit(async () => {
      if (host) {
        const { host: saved } = await client.call('hosts.update', updateRequest(host, parsed.host));
        if (saved.name !== host.name) renameRecentHost(host.name, saved.name);
        store.toast(`Saved ${saved.name}.`, 'success');
      } else {
        const { host: added } = await client.call('hosts.add', parsed.host);
        store.toast(`Added ${added.name}.`, 'success');
      }
      onClose();
    });
  };

  const site = settings.sites.find((s) => s.name === draft.site);
  const jumpName = site
    ? site.kind === 'teleport'
      ? site.proxy.host
      : (site.bastion?.host ?? null)
    : null;

  return (
    <dialog
      ref={ref}
      className="dialog host-editor"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={onSubmit} noValidate>
        <h2 id={titleId} className="dialog-title">
          {host ? `Edit ${host.name}` : 'Add a host'}
        </h2>
        <div className="dialog-body host-editor-fields">
          <Field
            label="Name"
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            error={fields.name}
            hint="Short, no spaces; shown in the list and used by the CLI."
            placeholder="hpc-login"
            autoFocus
            autoComplete="off"
            spellCheck={false}
          />
          <div className="field-row field-row-port">
            <Field
              label="Host name"
              value={draft.hostName}
              onChange={(e) => set({ hostName: e.target.value })}
              error={fields.hostName}
              placeholder="hpc-login.example.org"
              autoComplete="off"
              spellCheck={false}
            />
            <Field
              label="Port"
              optional
              value={draft.port}
              onChange={(e) => set({ port: e.target.value })}
              error={fields.port}
              placeholder="22"
              inputMode="numeric"
              autoComplete="off"
            />
          </div>
          <Field
            label="Login"
            optional
            value={draft.login}
            onChange={(e) => set({ login: e.target.value })}
            error={fields.login}
            hint="Empty uses the login from your certificate."
            autoComplete="off"
            spellCheck={false}
          />
          <SiteSelect
            value={draft.site}
            onChange={(value) => set({ site: value })}
            error={fields.site}
          />
          <fieldset className="host-route-choice">
            <legend className="field-label">Route</legend>
            <label className="host-route-option">
              <input
                type="radio"
                name="route"
                value="jump"
                checked={draft.route === 'jump'}
                onChange={() => set({ route: 'jump' })}
              />
              <span>
                Through the site&apos;s jump
                <span className="field-hint">
                  {jumpName ? `via ${jumpName}` : 'the proxy or bastion of the site'}
                </span>
              </span>
            </label>
            <label className="host-route-option">
              <input
                type="radio"
                name="route"
                value="direct"
                checked={draft.route === 'direct'}
                onChange={() => set({ route: 'direct' })}
              />
              <span>
                Direct
                <span className="field-hint">dial the host itself</span>
              </span>
            </label>
            {fields.route && <p className="field-error">{fields.route}</p>}
          </fieldset>
          <FormError message={error} />
        </div>
        <div className="dialog-actions">
          {host && (
            <button
              type="button"
              className="btn btn-danger-ghost host-editor-remove"
              onClick={() => onRemove(host)}
            >
              Remove host…
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {form.busy ? 'Saving…' : host ? 'Save' : 'Add host'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function SiteSelect({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const settings = useSettings();
  const id = useId();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        Site
      </label>
      <select
        id={id}
        className="input"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        {settings.sites.map((site) => (
          <option key={site.name} value={site.name}>
            {site.title ? `${site.title} (${site.name})` : site.name}
          </option>
        ))}
        <option value="">No site (plain SSH host)</option>
      </select>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
