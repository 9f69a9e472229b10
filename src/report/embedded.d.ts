/** Files embedded as text by `import … with { type: "text" }` (see assets.ts). */
declare module "*/report.css" {
  const text: string;
  export default text;
}
declare module "diff2html/bundles/*" {
  const text: string;
  export default text;
}
