import type { ReactNode } from 'react';

export function SettingsSection({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <div className="settings-section-intro">
        <h2 id={`${id}-title`} className="settings-section-title">
          {title}
        </h2>
        {description && <p className="settings-section-description">{description}</p>}
      </div>
      <div className="settings-section-body">{children}</div>
    </section>
  );
}
