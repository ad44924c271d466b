/**
 * The order the contestants run in, round by round. A fixed order would give every round's
 * order effects (a server still writing the previous target's WAL, caches the previous run
 * warmed, the machine's slow first minute) to the same contestant each time; rotating the
 * order gives each contestant every position once every n rounds, and the paths swap too.
 */

/** `items` rotated left by `round - 1` (rounds count from 1): round 1 keeps the order. */
export function rotatedForRound<T>(items: readonly T[], round: number): readonly T[] {
  if (items.length === 0) return items;
  const shift = (((round - 1) % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Every group's members in this round's order, the groups themselves in this round's order. */
export function roundSchedule<G extends { readonly contestants: readonly unknown[] }>(groups: readonly G[], round: number): readonly { readonly group: G; readonly contestant: G['contestants'][number] }[] {
  return rotatedForRound(groups, round).flatMap((group) => rotatedForRound(group.contestants, round).map((contestant) => ({ group, contestant })));
}
