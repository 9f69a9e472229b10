import { UserError } from "../errors.ts";
import { spawnChild } from "../process/children.ts";
import { TOKEN_VARIABLES } from "../secrets/redact.ts";

export interface GithubToken {
  token: string;
  /** Only this is ever printed: `COPILOT_GITHUB_TOKEN`, `GH_TOKEN`, `GITHUB_TOKEN`, `gh auth token`. */
  source: string;
}

export function isClassicPat(token: string): boolean {
  return token.startsWith("ghp_");
}

const CLASSIC_PAT_HINT =
  "Use a fine-grained personal access token with the Copilot Requests permission (github_pat_…), an OAuth token from `gh auth login` (gho_…), or a GitHub App user token.";

/** The token the Copilot CLI would pick, in its own order of precedence. */
export function findGithubToken(env: Record<string, string | undefined>): GithubToken | undefined {
  for (const name of TOKEN_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  return undefined;
}

async function ghAuthToken(env: Record<string, string | undefined>): Promise<string | undefined> {
  const gh = Bun.which("gh", { PATH: env.PATH ?? "" });
  if (!gh) return undefined;
  const proc = spawnChild([gh, "auth", "token"], { stdout: "pipe", stderr: "ignore", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  clearTimeout(timer);
  return code === 0 && out.trim() ? out.trim() : undefined;
}

/**
 * Resolve a GitHub token for Copilot: the token variables, then `gh auth token`. Refuses classic
 * PATs up front: the CLI rejects them ("Classic Personal Access Tokens (ghp_) are not supported
 * by Copilot"), which would otherwise fail every trial.
 */
export async function resolveGithubToken(env: Record<string, string | undefined>): Promise<GithubToken> {
  const found = findGithubToken(env);
  if (found) {
    assertNotClassicPat(found);
    return found;
  }
  const fromGh = await ghAuthToken(env);
  if (fromGh) {
    const token = { token: fromGh, source: "gh auth token" };
    assertNotClassicPat(token);
    return token;
  }
  throw new UserError("no GitHub token found for Copilot", {
    hint: `Set COPILOT_GITHUB_TOKEN (or GH_TOKEN / GITHUB_TOKEN), or run \`gh auth login\`. ${CLASSIC_PAT_HINT} Variants with a BYOK \`provider\` need no token; \`run --dry-run\` needs none.`,
  });
}

export function assertNotClassicPat(token: GithubToken): void {
  if (isClassicPat(token.token)) {
    throw new UserError(
      `the GitHub token from ${token.source} is a classic personal access token (ghp_…), which Copilot refuses ("Classic Personal Access Tokens (ghp_) are not supported by Copilot")`,
      { hint: `${CLASSIC_PAT_HINT} Or unset ${token.source}.` },
    );
  }
}
