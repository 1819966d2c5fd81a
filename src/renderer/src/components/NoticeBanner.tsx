import type { Notice } from '../../../shared/contract/commands';
import { Icon } from './Icon';

/** A notice from the core (for example a settings file that could not be read). */
export function NoticeBanner({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const role = notice.level === 'info' ? 'status' : 'alert';
  return (
    <div className={`banner banner-${notice.level}`} role={role}>
      <Icon name={notice.level === 'info' ? 'info' : 'warning'} className="banner-icon" />
      <div className="banner-body">
        <strong className="banner-title">{notice.title}</strong>
        <span className="banner-message">{notice.message}</span>
      </div>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
