import { describe, expect, it } from 'vitest';
import { apiClient, readProjected } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

describe('Security: configuration values never reach the logs', () => {
  it('logs names, versions and statuses, but no value, even at DEBUG level', async () => {
    const secret = 'hunter2-s3cr3t-db-password';
    const stack = await startLocalStackProcess({
      DATA_DIR: await scratchDir('logs'),
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    try {
      const api = apiClient(stack.url);
      await api.put('/config/db.password', { value: secret, comment: 'rotated' });
      await readProjected(api, 'db.password', 1);
      await api.put('/config/db.password', { value: { nested: [secret] }, expectedVersion: 1 });
      await api.put('/config/db.password', { value: secret, expectedVersion: 1 });
      await api.call('PUT', '/config/db.password', { rawBody: `{"value":"${secret}",}` });
      await api.put('/config/db.password', { value: secret.repeat(20_000) });
      await api.get('/config/db.password');
      await api.get('/config/db.password?consistent=true');
      await api.get('/config/db.password/history');
      await api.get(`/config/db.password/at/${new Date().toISOString()}`);
      await api.get('/config?prefix=db.');
      await api.delete('/config/db.password');
      expect((await api.get('/health')).status).toBe(200);
      await stack.stop();

      const logs = stack.output.join('\n');
      expect(logs).toContain('db.password');
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain('hunter2');
    } finally {
      await stack.stop();
    }
  });
});
