import { Checkbox } from '../../components/Checkbox';
import { DraftField, type Save } from '../../components/DraftField';
import { useSettings } from '../../state/context';
import { SettingsSection } from './SettingsSection';
import { useUiUpdate } from './useUiUpdate';

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
      description="Font and selection behaviour of the terminal tabs."
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
