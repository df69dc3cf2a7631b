import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';

/**
 * A typed registration key. tsyringe keys are bare symbols; wrapping them with the type they
 * stand for makes registering or resolving the wrong type a compile error, and keeps business
 * code free of decorators (which also break under esbuild-based runners, tsyringe #270).
 */
export interface Token<T> {
  readonly key: symbol;
  /** Phantom: never set, only carries T for the type checker. */
  readonly type?: T;
}

/** A new token; the description shows in tsyringe's errors. */
export function token<T>(description: string): Token<T> {
  return { key: Symbol(description) };
}

/** Registers a singleton built on first resolve from what the container already holds. */
export function provide<T>(
  container: DependencyContainer,
  target: Token<T>,
  factory: (container: DependencyContainer) => T,
): void {
  container.register<T>(target.key, { useFactory: instanceCachingFactory<T>(factory) });
}

/** Registers an already-built value. */
export function provideValue<T>(container: DependencyContainer, target: Token<T>, value: T): void {
  container.register<T>(target.key, { useValue: value });
}

/** The registered instance for the token. */
export function resolve<T>(container: DependencyContainer, target: Token<T>): T {
  return container.resolve<T>(target.key);
}
