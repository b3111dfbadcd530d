import { declinerMetrics, MetricsRegistry } from '../../src/adapters/metrics';

describe('the Prometheus exposition', () => {
  it('when counters and gauges are set, then each family has its HELP and TYPE lines and one line per series', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('things_total', 'Things.');
    const gauge = registry.gauge('depth', 'Depth.');

    counter.inc({ kind: 'a' });
    counter.inc({ kind: 'a' }, 2);
    gauge.set({ topic: 't', partition: '0' }, 4);

    expect(registry.render()).toBe(
      [
        '# HELP things_total Things.',
        '# TYPE things_total counter',
        'things_total{kind="a"} 3',
        '# HELP depth Depth.',
        '# TYPE depth gauge',
        'depth{topic="t",partition="0"} 4',
        '',
      ].join('\n'),
    );
  });

  it('when a label value has quotes, backslashes or newlines, then they are escaped', () => {
    const registry = new MetricsRegistry();
    registry.counter('c_total', 'C.').inc({ reason: 'say "hi"\\\n' });

    expect(registry.render()).toContain('c_total{reason="say \\"hi\\"\\\\\\n"} 1');
  });

  it('when the decliner starts, then every outcome and reason is exposed at 0', () => {
    const { registry } = declinerMetrics();

    const text = registry.render();

    for (const outcome of ['declined', 'already_declined', 'refused', 'dead_lettered']) {
      expect(text).toContain(`decliner_messages_processed_total{outcome="${outcome}"} 0`);
    }
    for (const reason of ['malformed', 'invalid', 'unknown', 'exhausted']) {
      expect(text).toContain(`decliner_dead_letters_total{reason="${reason}"} 0`);
    }
    expect(text).toContain('# TYPE decliner_consumer_lag gauge');
  });
});
