/** The reference sketches read from a package's profile alone agrees with the whole package reference. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPackageReference, profileReference } from '../../core/analysis/index.ts';
import { loadModelPackage } from '../../core/contract/index.ts';
import { resolveModel } from '../../core/registry/index.ts';
import { FIXTURE_MODELS } from '../electron/helpers.ts';

const MODELS = fileURLToPath(new URL('../../models/', import.meta.url));

async function champion(dir: string) {
  return loadModelPackage((await resolveModel(dir, 'champion')).dir);
}

describe('profile-only reference', () => {
  for (const [name, dir] of [
    ['the fixture champion', FIXTURE_MODELS],
    ['the shipped champion', MODELS],
  ] as const) {
    it(`gives the bins, ranges, counts and categories of the whole reference for ${name}`, async () => {
      const pkg = await champion(dir);
      const quick = profileReference(pkg);
      const whole = await loadPackageReference(pkg);
      expect(quick).not.toBeNull();
      expect([quick!.label, quick!.rows, quick!.source]).toEqual([whole.label, whole.rows, whole.source]);
      expect([...quick!.fields.keys()]).toEqual([...whole.fields.keys()]);
      const pairs = [...whole.fields].map(([key, f]) => [f, quick!.fields.get(key)!] as const);
      pairs.push([whole.prediction!, quick!.prediction!]);
      for (const [full, light] of pairs) {
        expect(light.kind).toBe(full.kind);
        expect([light.count, light.missing, light.missingRate]).toEqual([full.count, full.missing, full.missingRate]);
        if (full.kind === 'number' && light.kind === 'number') {
          expect(light.bins).toEqual(full.bins);
          expect([light.min, light.max]).toEqual([full.min, full.max]);
        } else if (full.kind === 'category' && light.kind === 'category') {
          expect([...light.counts]).toEqual([...full.counts]);
        }
      }
    });
  }

  it('declines a profile whose number field has no bins, so the caller loads the whole reference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-profile-'));
    try {
      cpSync(FIXTURE_MODELS, dir, { recursive: true });
      const pkg = await champion(dir);
      const profile = JSON.parse(readFileSync(pkg.files.profile, 'utf8'));
      delete profile.fields.AMT_CREDIT.edges;
      delete profile.fields.AMT_CREDIT.bin_counts;
      writeFileSync(pkg.files.profile, JSON.stringify(profile));
      expect(profileReference(await champion(dir))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
