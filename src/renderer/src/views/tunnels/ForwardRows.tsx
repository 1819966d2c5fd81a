import { Icon } from '../../components/Icon';
import { newForward, type ForwardDraft } from './tunnelForm';

/** Inputs of one forward, each with its own inline error (keys as in the core: `forwards.N.x`). */
function ForwardRow({
  forward,
  index,
  errors,
  flagged,
  onChange,
  onRemove,
  canRemove,
}: {
  forward: ForwardDraft;
  index: number;
  errors: Record<string, string>;
  flagged: Record<string, string>;
  onChange: (patch: Partial<ForwardDraft>) => void;
  onRemove: () => void;
  canRemove: boolean;
}) {
  const at = `forwards.${String(index)}`;
  const n = index + 1;
  const input = (
    key: 'bindAddress' | 'bindPort' | 'targetHost' | 'targetPort',
    label: string,
    props: { placeholder?: string; numeric?: boolean; className: string },
  ) => {
    const error = errors[`${at}.${key}`] ?? flagged[`${at}.${key}`];
    return (
      <label className={`forward-input ${props.className}`}>
        <span className="visually-hidden">
          {label} of forward {n}
        </span>
        <input
          className="input"
          value={forward[key]}
          placeholder={props.placeholder}
          inputMode={props.numeric ? 'numeric' : undefined}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange({ [key]: e.target.value })}
        />
      </label>
    );
  };
  const messages = (['bindAddress', 'bindPort', 'targetHost', 'targetPort'] as const)
    .map((key) => errors[`${at}.${key}`])
    .filter((m): m is string => Boolean(m));
  return (
    <li className="forward-row" data-kind={forward.kind} aria-label={`Forward ${n}`}>
      <div className="forward-row-inputs">
        <span className="forward-row-flag">{forward.kind === 'dynamic' ? '-D' : '-L'}</span>
        {input('bindAddress', 'Bind address', { placeholder: '127.0.0.1', className: 'fi-addr' })}
        <span className="forward-row-sep">:</span>
        {input('bindPort', 'Local port', {
          placeholder: '9050',
          numeric: true,
          className: 'fi-port',
        })}
        {forward.kind === 'local' ? (
          <>
            <span className="forward-row-sep">→</span>
            {input('targetHost', 'Target host', { placeholder: 'machine1', className: 'fi-host' })}
            <span className="forward-row-sep">:</span>
            {input('targetPort', 'Target port', {
              placeholder: '4141',
              numeric: true,
              className: 'fi-port',
            })}
          </>
        ) : (
          <span className="forward-row-socks muted">SOCKS5 proxy, remote DNS</span>
        )}
        <button
          type="button"
          className="icon-btn"
          aria-label={`Remove forward ${n}`}
          title="Remove forward"
          onClick={onRemove}
          disabled={!canRemove}
        >
          <Icon name="trash" size={14} />
        </button>
      </div>
      {messages.map((message) => (
        <p key={message} className="field-error">
          {message}
        </p>
      ))}
    </li>
  );
}

export function ForwardRows({
  forwards,
  errors,
  flagged = {},
  onChange,
}: {
  forwards: ForwardDraft[];
  errors: Record<string, string>;
  /** Highlighted, with the message shown elsewhere (the network-bind confirmation). */
  flagged?: Record<string, string>;
  onChange: (forwards: ForwardDraft[]) => void;
}) {
  const used = new Set(forwards.map((f) => f.bindPort.trim()));
  const freeSocksPort = ['9050', '9051', '9052', '1080'].find((p) => !used.has(p)) ?? '';
  return (
    <fieldset className="forward-editor">
      <legend className="field-label">Forwards</legend>
      <ul className="forward-rows">
        {forwards.map((forward, index) => (
          <ForwardRow
            key={forward.id}
            forward={forward}
            index={index}
            errors={errors}
            flagged={flagged}
            canRemove={forwards.length > 1}
            onChange={(patch) =>
              onChange(forwards.map((f) => (f.id === forward.id ? { ...f, ...patch } : f)))
            }
            onRemove={() => onChange(forwards.filter((f) => f.id !== forward.id))}
          />
        ))}
      </ul>
      {errors.forwards && <p className="field-error">{errors.forwards}</p>}
      <div className="forward-editor-add">
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => onChange([...forwards, newForward('local')])}
        >
          <Icon name="plus" size={13} />
          Local forward (-L)
        </button>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => onChange([...forwards, newForward('dynamic', freeSocksPort)])}
        >
          <Icon name="plus" size={13} />
          SOCKS forward (-D)
        </button>
      </div>
    </fieldset>
  );
}
