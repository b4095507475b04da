import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS, parseAlertSettings } from '../../../core/alerts/index.ts';

describe('alert settings', () => {
  it('fills a partial document from the defaults', () => {
    const parsed = parseAlertSettings({ rules: { error_rate: { warning: 0.01 } }, webhookUrl: 'http://127.0.0.1:9/x' });
    expect(parsed.ok && parsed.value.rules.error_rate).toEqual({ enabled: true, warning: 0.01, critical: 0.05 });
    expect(parsed.ok && parsed.value.rules.p99_latency).toEqual(DEFAULT_ALERT_SETTINGS.rules.p99_latency);
  });

  it('names every bad entry and what is allowed', () => {
    const parsed = parseAlertSettings({
      rules: { nope: {}, error_rate: { warning: -1 }, approval_ratio: { warning: 0.6, critical: 0.8 } },
      webhookUrl: 'ftp://x',
      sustainedWindows: 0,
      fairnessSegments: ['RACE'],
      extra: 1,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.path)).toEqual([
      'extra',
      'rules.nope',
      'rules.error_rate.warning',
      'rules.approval_ratio',
      'fairnessSegments',
      'sustainedWindows',
      'webhookUrl',
    ]);
    expect(parsed.issues.find((i) => i.path === 'rules.approval_ratio')!.message).toMatch(/at or below the warning/);
  });
});
