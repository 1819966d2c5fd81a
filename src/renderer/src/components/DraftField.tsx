import { useState, type ComponentProps } from 'react';
import { Field } from './Field';

export type Save = (value: string) => string | undefined;

/**
 * A text setting that saves when it loses focus or on Enter, so typing "1" on the way to "14" is
 * not an error. Keyed by the saved value: a change from elsewhere (another window, the CLI)
 * remounts it with the new value.
 */
export function DraftField({
  saved,
  save,
  ...props
}: { saved: string; save: Save } & Omit<
  ComponentProps<typeof Field>,
  'value' | 'onChange' | 'onBlur' | 'onKeyDown' | 'error'
>) {
  const [draft, setDraft] = useState(saved);
  const [error, setError] = useState<string | undefined>();
  const commit = () => setError(draft === saved ? undefined : save(draft));
  return (
    <Field
      {...props}
      value={draft}
      error={error}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => event.key === 'Enter' && commit()}
    />
  );
}
