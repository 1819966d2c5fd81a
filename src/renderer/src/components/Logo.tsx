/** The OneHop mark: from your laptop (dot) over one hop to the cluster (ring). */
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      className="logo"
    >
      <rect x="0.5" y="0.5" width="23" height="23" rx="6" fill="var(--accent-strong)" />
      <path
        d="M6 15.5C6.8 7.5 16.2 6.6 17.6 13.2"
        fill="none"
        stroke="var(--accent-contrast)"
        strokeWidth="1.9"
        strokeLinecap="round"
      />
      <circle cx="6" cy="17.2" r="2.1" fill="var(--accent-contrast)" />
      <circle
        cx="17.8"
        cy="16.6"
        r="2.5"
        fill="none"
        stroke="var(--accent-contrast)"
        strokeWidth="1.9"
      />
    </svg>
  );
}
