import type { ReactNode } from 'react';
import { Icon, type IconName } from '../../components/Icon';

/** One way to add a site; the card is a labelled group, its button is the action. */
export function ChoiceCard({
  icon,
  title,
  children,
  action,
  disabled,
  id,
}: {
  id: string;
  icon: IconName;
  title: string;
  children: ReactNode;
  action: ReactNode;
  disabled?: boolean;
}) {
  return (
    <section
      className={disabled ? 'choice-card choice-card-disabled' : 'choice-card'}
      aria-labelledby={`${id}-title`}
    >
      <div className="choice-card-head">
        <span className="choice-card-icon">
          <Icon name={icon} size={18} />
        </span>
        <h2 id={`${id}-title`} className="choice-card-title">
          {title}
        </h2>
      </div>
      <div className="choice-card-body">{children}</div>
      <div className="choice-card-action">{action}</div>
    </section>
  );
}
