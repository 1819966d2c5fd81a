import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** What a view shows when it has nothing yet: what it is for and the next step. */
export function EmptyState({
  icon,
  title,
  children,
  actions,
}: {
  icon: IconName;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <div className="empty-state-icon">
        <Icon name={icon} size={22} />
      </div>
      <h2 className="empty-state-title">{title}</h2>
      <p className="empty-state-text">{children}</p>
      {actions && <div className="empty-state-actions">{actions}</div>}
    </div>
  );
}
