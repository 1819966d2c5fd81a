import { useState, type ComponentProps } from 'react';
import { Checkbox } from '../../components/Checkbox';
import { Field } from '../../components/Field';
import { useSettings } from '../../state/context';
import { SettingsSection } from './SettingsSection';
import { useUiUpdate } from './useUiUpdate';

type Save = (value: string) => string | undefined;

/**
 * A text setting that saves when it loses focus or on Enter, so typing "1" on the way to "14" is
 * not an error. Keyed by the saved value: a change from elsewhere (another window, the CLI)
 * remounts it with the new value.
 */
function DraftField({
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

export function TerminalSettings() {
  const { ui } = useSettings();
  const update = useUiUpdate();

  const saveSize: Save = (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 8 || value > 32)
      return 'Must be a whole number from 8 to 32.';
    void update({ terminalFontSize: value });
    return undefined;
  };
  const saveFamily: Save = (text) => {
    void update({ terminalFontFamily: text.trim() });
    return undefined;
  };

  return (
    <SettingsSection
      id="terminal"
      title="Terminal"
      description="Used by embedded terminals, which arrive with the SSH feature."
    >
      <div className="field-row field-row-size">
        <DraftField
          key={`size-${ui.terminalFontSize}`}
          label="Font size"
          type="number"
          min={8}
          max={32}
          saved={String(ui.terminalFontSize)}
          save={saveSize}
        />
        <DraftField
          key={`family-${ui.terminalFontFamily}`}
          label="Font family"
          placeholder="system monospace"
          hint="A font installed on this computer, for example JetBrains Mono. Empty uses the system monospace font."
          saved={ui.terminalFontFamily}
          save={saveFamily}
          spellCheck={false}
        />
      </div>
      <Checkbox
        label="Copy on select"
        hint="Selected text goes to the clipboard without pressing Ctrl+Shift+C."
        checked={ui.copyOnSelect}
        onChange={(copyOnSelect) => void update({ copyOnSelect })}
      />
    </SettingsSection>
  );
}
