/**
 * `npm run bench [-- --json FILE] [-- --only writes,rebuild]`: the performance budget of
 * issue 4, each figure measured next to the figure it is compared to, in one process run.
 * Not a test: it prints figures and never fails on timing.
 */

// Set before any handler module loads: per-request INFO logs would be part of every timing.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export {};

const { runBench } = await import('./suite.ts');
await runBench(process.argv.slice(2));
