/**
 * Moving bytes between threads: a Uint8Array's memory can be handed over (transferred, not copied)
 * only when the array owns all of it; a view into a larger buffer (a pooled Buffer) is copied.
 */
export function movableBuffers(arrays: Iterable<Uint8Array>): ArrayBuffer[] {
  const movable = new Set<ArrayBuffer>();
  for (const bytes of arrays) {
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
      movable.add(bytes.buffer as ArrayBuffer);
    }
  }
  return [...movable];
}
