import type { KeyboardEvent } from 'react';
import type { Theme } from '../../../../shared/model/settings';
import { useSettings } from '../../state/context';
import { SettingsSection } from './SettingsSection';
import { useUiUpdate } from './useUiUpdate';

const options: { value: Theme; label: string; hint: string }[] = [
  { value: 'system', label: 'System', hint: 'Follow the operating system' },
  { value: 'light', label: 'Light', hint: 'Always light' },
  { value: 'dark', label: 'Dark', hint: 'Always dark' },
];

/** A radio group styled as a segmented control (arrow keys move, as radios do). */
export function ThemeSetting() {
  const { ui } = useSettings();
  const update = useUiUpdate();
  const choose = (theme: Theme) => void update({ theme });
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const delta =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? -1
          : 0;
    if (!delta) return;
    event.preventDefault();
    const next = options[(index + delta + options.length) % options.length]!;
    choose(next.value);
    requestAnimationFrame(() => document.getElementById(`theme-${next.value}`)?.focus());
  };
  return (
    <SettingsSection
      id="appearance"
      title="Appearance"
      description="Light and dark themes; System follows your OS."
    >
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {options.map((option, index) => {
          const checked = ui.theme === option.value;
          return (
            <button
              key={option.value}
              id={`theme-${option.value}`}
              type="button"
              role="radio"
              aria-checked={checked}
              tabIndex={checked ? 0 : -1}
              title={option.hint}
              className={checked ? 'segment segment-on' : 'segment'}
              onClick={() => choose(option.value)}
              onKeyDown={(event) => onKeyDown(event, index)}
            >
              {option.label}
            </button>
          );
        })}
      </div>
    </SettingsSection>
  );
}
