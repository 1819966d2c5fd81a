import { useState } from 'react';
import { ContractError } from '../../../../shared/contract/errors';
import { messageOf } from '../../state/store';

export interface CommandForm {
  busy: boolean;
  error: string | null;
  fields: Record<string, string>;
  /** Runs the action; on failure keeps the input and shows the core's message and field errors. */
  submit(action: () => Promise<void>): Promise<void>;
  setFieldErrors(fields: Record<string, string>): void;
}

export function useCommandForm(): CommandForm {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  return {
    busy,
    error,
    fields,
    setFieldErrors(next) {
      setFields(next);
      setError(Object.keys(next).length ? 'Please correct the highlighted fields.' : null);
    },
    async submit(action) {
      setBusy(true);
      setError(null);
      setFields({});
      try {
        await action();
      } catch (caught) {
        setError(messageOf(caught));
        if (caught instanceof ContractError && caught.fields) setFields(caught.fields);
      } finally {
        setBusy(false);
      }
    },
  };
}
