/** Grey placeholder lines shown while something loads, so no screen flashes a wrong state first. */
export function Skeleton({ label }: { label: string }) {
  return (
    <div className="skeleton" role="status" aria-busy="true">
      <span className="visually-hidden">{label}</span>
      <div className="skeleton__line" aria-hidden="true" />
      <div className="skeleton__line" aria-hidden="true" />
      <div className="skeleton__line" aria-hidden="true" />
    </div>
  );
}
