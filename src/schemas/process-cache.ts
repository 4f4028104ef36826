/**
 * A cache shared by the whole process. A test runner that loads modules once per test file (jest gives
 * each file its own module registry) would otherwise compile the same schema validators again in every
 * file; Node's built-in modules are the one object every registry of a process shares, so the cache is
 * kept on one of them, under a registered symbol.
 */
import Module from 'module';

/** The value kept under `key` in this process, made by `make` the first time. */
export function processWide<T>(key: string, make: () => T): T {
  const store = Module as unknown as Record<symbol, unknown>;
  const k = Symbol.for(`meshfleet.${key}`);
  if (!(k in store)) store[k] = make();
  return store[k] as T;
}
