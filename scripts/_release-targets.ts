/** The platforms `bun run release` builds, and how the installer and the release name them. */
export interface ReleaseTarget {
  /** `<os>-<arch>[-musl]`: the suffix of the file name (what scripts/install.sh detects). */
  name: string;
  /** Bun's `--target`. */
  bun: string;
  exe: boolean;
}

export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  { name: "linux-x64", bun: "bun-linux-x64", exe: false },
  { name: "linux-arm64", bun: "bun-linux-arm64", exe: false },
  { name: "linux-x64-musl", bun: "bun-linux-x64-musl", exe: false },
  { name: "linux-arm64-musl", bun: "bun-linux-arm64-musl", exe: false },
  { name: "darwin-x64", bun: "bun-darwin-x64", exe: false },
  { name: "darwin-arm64", bun: "bun-darwin-arm64", exe: false },
  { name: "windows-x64", bun: "bun-windows-x64", exe: true },
];

export function releaseFileName(version: string, target: ReleaseTarget): string {
  return `copilot-experiments-${version}-${target.name}${target.exe ? ".exe" : ""}`;
}
