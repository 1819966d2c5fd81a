/** A small busy indicator; the words next to it say what is happening. */
export function Spinner({ size = 14 }: { size?: number }) {
  return (
    <span
      className="spinner"
      style={{ width: size, height: size }}
      aria-hidden="true"
      data-testid="spinner"
    />
  );
}
