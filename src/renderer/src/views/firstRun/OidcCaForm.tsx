import { useState, type FormEvent } from 'react';
import { Checkbox } from '../../components/Checkbox';
import { Field } from '../../components/Field';
import { useClient } from '../../state/context';
import { FormError } from './FormError';
import { useCommandForm } from './useCommandForm';

interface Draft {
  name: string;
  issuer: string;
  clientId: string;
  caUrl: string;
  bastionHost: string;
  bastionPort: string;
  allowOfflineAccess: boolean;
}

const empty: Draft = {
  name: '',
  issuer: '',
  clientId: '',
  caUrl: '',
  bastionHost: '',
  bastionPort: '22',
  allowOfflineAccess: false,
};

/** Checks only what the user can fix before asking the core, which validates everything again. */
function localErrors(draft: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = 'Enter a short name, such as uni-hpc.';
  if (!draft.issuer.trim())
    errors['oidc.issuer'] = 'Enter the issuer URL of your identity provider.';
  if (!draft.clientId.trim())
    errors['oidc.clientId'] = 'Enter the client ID registered for OneHop.';
  if (!draft.caUrl.trim()) errors.caUrl = 'Enter the URL of the SSH certificate authority.';
  if (!draft.bastionHost.trim()) errors['bastion.host'] = 'Enter the bastion host name.';
  const port = Number(draft.bastionPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    errors['bastion.port'] = 'Must be a whole number between 1 and 65535.';
  return errors;
}

export function OidcCaForm({
  onAdded,
  onBack,
}: {
  onAdded: (message: string) => void;
  onBack: () => void;
}) {
  const client = useClient();
  const form = useCommandForm();
  const [draft, setDraft] = useState<Draft>(empty);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: Exclude<keyof Draft, 'allowOfflineAccess'>) => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) => set(key)(event.target.value),
    autoComplete: 'off',
    spellCheck: false,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors = localErrors(draft);
    if (Object.keys(errors).length) return form.setFieldErrors(errors);
    void form.submit(async () => {
      const { site } = await client.call('sites.addOidcCa', {
        name: draft.name.trim(),
        oidc: {
          issuer: draft.issuer.trim(),
          clientId: draft.clientId.trim(),
          allowOfflineAccess: draft.allowOfflineAccess,
        },
        caUrl: draft.caUrl.trim(),
        bastion: { host: draft.bastionHost.trim(), port: Number(draft.bastionPort) },
      });
      onAdded(`Added the OIDC site "${site.name}".`);
    });
  };

  return (
    <form className="site-form" onSubmit={onSubmit} noValidate aria-labelledby="oidc-form-title">
      <h2 id="oidc-form-title" className="site-form-title">
        OIDC + SSH CA site
      </h2>
      <p className="site-form-intro">
        For sites without Teleport: you sign in at the identity provider (for example Keycloak), and
        a step-ca compatible SSH CA issues the certificate. Ask your site's administrators for these
        values.
      </p>
      <Field
        label="Name"
        placeholder="uni-hpc"
        error={form.fields.name}
        autoFocus
        {...text('name')}
      />
      <div className="field-row">
        <Field
          label="Issuer URL"
          placeholder="https://login.example.org/realms/hpc"
          type="url"
          error={form.fields['oidc.issuer']}
          {...text('issuer')}
        />
        <Field
          label="Client ID"
          placeholder="onehop"
          error={form.fields['oidc.clientId']}
          {...text('clientId')}
        />
      </div>
      <Field
        label="SSH CA URL"
        placeholder="https://ca.example.org"
        type="url"
        error={form.fields.caUrl}
        hint="OneHop asks it to sign at /1.0/ssh/sign."
        {...text('caUrl')}
      />
      <div className="field-row field-row-port">
        <Field
          label="Bastion host"
          placeholder="bastion.example.org"
          error={form.fields['bastion.host']}
          {...text('bastionHost')}
        />
        <Field
          label="Port"
          inputMode="numeric"
          error={form.fields['bastion.port']}
          {...text('bastionPort')}
        />
      </div>
      <Checkbox
        label="Allow offline access"
        hint="Ask for a refresh token so renewing the certificate may not need the browser. Only if your site allows it."
        checked={draft.allowOfflineAccess}
        onChange={set('allowOfflineAccess')}
      />
      <FormError message={form.error} />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Adding…' : 'Add site'}
        </button>
      </div>
    </form>
  );
}
