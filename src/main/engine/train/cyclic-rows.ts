// Outlier exposure pairs every batch with as many outliers as it has rows, cycling through a shuffled
// order of the (usually fewer) outliers.

/** The next `size` entries of a cyclic pass through `order`, from `cursor` on. */
export function cyclicRows(order: Int32Array, cursor: number, size: number): Int32Array {
  const rows = new Int32Array(size);
  for (let i = 0; i < size; i++) rows[i] = order[(cursor + i) % order.length];
  return rows;
}
