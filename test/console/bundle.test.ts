import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The budget for the console's JavaScript, gzipped. */
const budgetBytes = 150 * 1024;
const assets = 'console/dist/assets';

describe('Console: bundle', () => {
  it(`keeps the gzipped JavaScript within ${budgetBytes / 1024} KB`, async () => {
    // Prepare: the global setup has just built console/dist
    const scripts = (await readdir(assets)).filter((file) => file.endsWith('.js'));

    // Act
    let gzipped = 0;
    for (const file of scripts) gzipped += gzipSync(await readFile(join(assets, file))).length;

    // Assess
    console.info(`Web console JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  });
});
