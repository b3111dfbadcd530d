/**
 * A few counters and gauges in the Prometheus text exposition format (version 0.0.4), written
 * by hand: the decliner exposes five series and needs no client library for that.
 */
type Labels = Readonly<Record<string, string>>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
}

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
};

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string): { inc(labels?: Labels, by?: number): void } {
    const family = this.family(name, help, 'counter');
    return {
      inc: (labels = {}, by = 1) => {
        const key = labelText(labels);
        const current = family.values.get(key);
        family.values.set(key, { labels, value: (current?.value ?? 0) + by });
      },
    };
  }

  gauge(name: string, help: string): { set(labels: Labels, value: number): void; reset(): void } {
    const family = this.family(name, help, 'gauge');
    return {
      set: (labels, value) => family.values.set(labelText(labels), { labels, value }),
      reset: () => family.values.clear(),
    };
  }

  /** The current value of one series (tests and logs read it); 0 when never set. */
  value(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.values.get(labelText(labels))?.value ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const family of this.families.values()) {
      lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
      for (const { labels, value } of family.values.values()) lines.push(`${family.name}${labelText(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private family(name: string, help: string, type: Family['type']): Family {
    const existing = this.families.get(name);
    if (existing) return existing;
    const family: Family = { name, help, type, values: new Map() };
    this.families.set(name, family);
    return family;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The decliner's series. Counters start at 0 for every outcome so dashboards see them before the first message. */
export const declinerMetrics = (registry = new MetricsRegistry()) => {
  const processed = registry.counter(
    'decliner_messages_processed_total',
    'Decline requests handled to the end, by outcome (declined, already_declined, refused, dead_lettered).',
  );
  const declined = registry.counter(
    'decliner_applications_declined_total',
    'Applications moved from PENDING to DECLINED.',
  );
  const retried = registry.counter('decliner_retries_total', 'Attempts repeated after a transient failure.');
  const deadLettered = registry.counter(
    'decliner_dead_letters_total',
    'Messages sent to the dead-letter topic, by reason (malformed, invalid, unknown, exhausted).',
  );
  const lag = registry.gauge(
    'decliner_consumer_lag',
    'Messages in the partition after the last one handled, as of the last fetch.',
  );
  for (const outcome of ['declined', 'already_declined', 'refused', 'dead_lettered']) processed.inc({ outcome }, 0);
  declined.inc({}, 0);
  retried.inc({}, 0);
  for (const reason of ['malformed', 'invalid', 'unknown', 'exhausted']) deadLettered.inc({ reason }, 0);
  return { registry, processed, declined, retried, deadLettered, lag };
};

export type DeclinerMetrics = ReturnType<typeof declinerMetrics>;
