/** Lowercase `[a-z0-9-]` slug; empty input gives an empty slug (callers supply a fallback). */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
}

/**
 * Slugs for a list of optional names, unique in declaration order: collisions get `-2`, `-3` …;
 * unnamed entries get `<prefix>-001`, `<prefix>-002` … by position.
 */
export function uniqueSlugs(names: readonly (string | undefined)[], unnamedPrefix: string): string[] {
  const taken = new Set<string>();
  return names.map((name, index) => {
    const base = (name && slugify(name)) || `${unnamedPrefix}-${String(index + 1).padStart(3, "0")}`;
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return slug;
  });
}
