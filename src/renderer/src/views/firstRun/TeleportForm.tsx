import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { useClient } from '../../state/context';
import { FormError } from './FormError';
import { useCommandForm } from './useCommandForm';

/** Add a Teleport proxy by its web address; the core parses and validates it. */
export function TeleportForm({
  onAdded,
  onBack,
}: {
  onAdded: (message: string) => void;
  onBack: () => void;
}) {
  const client = useClient();
  const form = useCommandForm();
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!address.trim()) {
      form.setFieldErrors({
        address: 'Enter the proxy address, for example teleport.example.org:443.',
      });
      return;
    }
    void form.submit(async () => {
      const request = name.trim()
        ? { address: address.trim(), name: name.trim() }
        : { address: address.trim() };
      const { site } = await client.call('sites.addTeleport', request);
      onAdded(`Added the Teleport site "${site.name}".`);
    });
  };

  return (
    <form
      className="site-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="teleport-form-title"
    >
      <h2 id="teleport-form-title" className="site-form-title">
        Teleport proxy by address
      </h2>
      <p className="site-form-intro">
        The address you would give <code>tsh login --proxy</code>. OneHop talks to its web port (443
        unless you say otherwise) to sign you in.
      </p>
      <Field
        label="Proxy address"
        placeholder="teleport.example.org:443"
        value={address}
        onChange={(event) => setAddress(event.target.value)}
        error={form.fields.address}
        hint="Host name with an optional port. https:// is allowed."
        autoFocus
        autoComplete="off"
        spellCheck={false}
      />
      <Field
        label="Name"
        optional
        placeholder="derived from the address"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={form.fields.name}
        hint="A short name for the CLI, such as uni-hpc. Letters, digits, dot, dash and underscore."
        autoComplete="off"
        spellCheck={false}
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
