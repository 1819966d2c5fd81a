import { useAppState, useStore } from '../state/context';
import { Icon } from './Icon';

/** Short, polite messages; announced to screen readers through a live region. */
export function Toasts() {
  const { toasts } = useAppState();
  const store = useStore();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`}>
          <Icon
            name={toast.tone === 'success' ? 'check' : toast.tone === 'error' ? 'warning' : 'info'}
          />
          <span className="toast-message">{toast.message}</span>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss message"
            onClick={() => store.dismissToast(toast.id)}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
