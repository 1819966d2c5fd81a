import { useId } from 'react';
import { Checkbox } from '../../components/Checkbox';
import { Field } from '../../components/Field';
import { newLauncher, type LauncherDraft } from './tunnelForm';

/** The optional program started through the tunnel (ecflow_ui through proxychains4). */
export function LauncherFields({
  launcher,
  errors,
  onChange,
}: {
  launcher: LauncherDraft | null;
  errors: Record<string, string>;
  onChange: (launcher: LauncherDraft | null) => void;
}) {
  const envId = useId();
  const set = (patch: Partial<LauncherDraft>) => launcher && onChange({ ...launcher, ...patch });
  const envError = errors['launcher.env'];
  const program = launcher?.command.trim() || 'The program';
  return (
    <fieldset className="launcher-editor">
      <legend className="field-label">Launcher</legend>
      <Checkbox
        label="Start a program through this tunnel"
        hint="For example ecflow_ui -cmd proxychains4: OneHop waits until the tunnel listens, then starts it."
        checked={launcher !== null}
        onChange={(on) => onChange(on ? newLauncher() : null)}
      />
      {launcher && (
        <div className="launcher-editor-fields">
          <Field
            label="Command"
            value={launcher.command}
            onChange={(e) => set({ command: e.target.value })}
            error={errors['launcher.command']}
            placeholder="ecflow_ui"
            autoComplete="off"
            spellCheck={false}
          />
          <Field
            label="Arguments"
            optional
            value={launcher.args}
            onChange={(e) => set({ args: e.target.value })}
            error={errors['launcher.args']}
            placeholder="-cmd proxychains4"
            hint={
              <>
                Quotes group words. Placeholders: <code>{'{socksPort}'}</code>,{' '}
                <code>{'{localPort:4141}'}</code>, <code>{'{proxychainsConf}'}</code>.
              </>
            }
            autoComplete="off"
            spellCheck={false}
          />
          <div className={envError ? 'field field-invalid' : 'field'}>
            <label className="field-label" htmlFor={envId}>
              Environment<span className="field-optional"> optional</span>
            </label>
            <textarea
              id={envId}
              className="input launcher-env"
              rows={2}
              value={launcher.env}
              placeholder="NAME=value, one per line"
              spellCheck={false}
              aria-invalid={envError ? true : undefined}
              aria-describedby={`${envId}-note`}
              onChange={(e) => set({ env: e.target.value })}
            />
            <p id={`${envId}-note`} className={envError ? 'field-error' : 'field-hint'}>
              {envError ?? 'PROXYCHAINS_CONF_FILE is set for SOCKS tunnels.'}
            </p>
          </div>
          <Checkbox
            label={`${program} is installed on this computer`}
            hint="The Launch button stays off until you confirm."
            checked={launcher.enabled}
            onChange={(enabled) => set({ enabled })}
          />
        </div>
      )}
    </fieldset>
  );
}
