/** A running process the supervisor can watch and stop. */
export interface Supervisable {
  readonly pid: number;
  /** Resolves once the process has exited, with how ("code 1", "signal SIGKILL"). */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Restarts in a row (without a calm period between them) before giving up. */
  maxRestarts: number;
  /** Wait before the first restart; doubled for each further one in a row, up to maxBackoffMs. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A process that ran this long since its last (re)start counts as healthy: the count starts again. */
  calmAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  maxRestarts: 5,
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  calmAfterMs: 60_000,
};

export interface SupervisorEvents {
  /** One line per restart (or failed attempt), and one when it gives up. */
  line(message: string): void;
  /** Loud: the process stays down. */
  gaveUp(message: string): void;
}

/**
 * Keeps one process running: when it exits on its own (not through `stop`), starts it again after a backoff,
 * printing one line per restart, and gives up loudly after `maxRestarts` restarts in a row.
 */
export class Supervised<T extends Supervisable> {
  private stopping = false;
  private restarts = 0;
  private startedAt = Date.now();
  private readonly watching: Promise<void>;
  /** Ends the backoff under way at once (on stop). */
  private wake = () => {};

  constructor(
    readonly name: string,
    private running: T,
    private readonly start: () => Promise<T>,
    private readonly events: SupervisorEvents,
    private readonly policy: RestartPolicy = defaultRestartPolicy,
  ) {
    this.watching = this.watch();
  }

  /** The process as it runs now (a new one after each restart). */
  get current(): T {
    return this.running;
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** Stops supervising, then the process. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running.stop();
    await this.watching;
  }

  private async watch(): Promise<void> {
    for (;;) {
      const how = await this.running.exited;
      if (this.stopping) return;
      if (Date.now() - this.startedAt >= this.policy.calmAfterMs) this.restarts = 0;
      const restarted = await this.restart(`pid ${this.running.pid} exited with ${how}`);
      if (!restarted) return;
    }
  }

  /** Tries until a start succeeds or the restarts run out; false when it gave up (or is stopping). */
  private async restart(exit: string): Promise<boolean> {
    let reason = exit;
    for (;;) {
      if (this.restarts >= this.policy.maxRestarts) {
        this.events.gaveUp(
          `✘ ${this.name}: ${reason}; gave up after ${this.restarts} restarts in a row: it stays down ` +
            '(see its log; restart dev:dapr once the cause is fixed)',
        );
        return false;
      }
      this.restarts += 1;
      const backoff = Math.min(this.policy.maxBackoffMs, this.policy.initialBackoffMs * 2 ** (this.restarts - 1));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopping) return false;
      try {
        this.running = await this.start();
        this.startedAt = Date.now();
        this.events.line(
          `↻ ${this.name}: ${reason}; restarted after ${backoff / 1000} s as pid ${this.running.pid} ` +
            `(restart ${this.restarts} of at most ${this.policy.maxRestarts} in a row)`,
        );
        if (this.stopping) await this.running.stop();
        return true;
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        reason = `${exit}; restart ${this.restarts} failed (${message})`;
      }
    }
  }
}
