// Bundle the report client for the page: `bun src/report/build-client.ts` prints it (one IIFE,
// minified, for the browser). Run by the macro in src/report/client-bundle.ts.
const result = await Bun.build({
  entrypoints: [`${import.meta.dir}/client/main.ts`],
  target: "browser",
  format: "iife",
  minify: true,
});
if (!result.success) {
  await Bun.write(Bun.stderr, `${result.logs.map(String).join("\n")}\n`);
  process.exit(1);
}
await Bun.write(Bun.stdout, await result.outputs[0]!.text());
