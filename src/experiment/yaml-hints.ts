/**
 * YAML syntax errors in plain language: what is wrong on the line and how to write it, from
 * the parser's error code and the text of the line. The parser's own words follow in brackets.
 */

const QUOTE_SPECIALS =
  "quote values that contain `: ` or ` #`, or start with `{`, `[`, `*`, `&`, `!`, `%`, `@` or a backtick";

export function yamlHint(code: string, line: string): string {
  const text = line.trim();
  if (text.includes("${") && /[{[]/.test(text.replace(/\$\{[^}]*\}/g, ""))) {
    return 'a `${VAR}` inside `{…}` or `[…]` is read as YAML, not as text: quote the value (`A: "${X}"`) or write the mapping on indented lines';
  }
  if (text.includes("${") && code === "UNEXPECTED_TOKEN") {
    return 'a value starting with `${` must be quoted inside `{…}` and `[…]`: write `"${X}"`';
  }
  switch (code) {
    case "TAB_AS_INDENT":
      return "this line is indented with a tab: YAML indents with spaces only";
    case "DUPLICATE_KEY":
      return "this key appears twice in the same mapping: keep one";
    case "MISSING_CHAR":
      return "a quote or bracket opened here is never closed: close it (for text over several lines use `|`)";
    case "BAD_DQ_ESCAPE":
      return "in double quotes a backslash starts an escape: use single quotes, or write `\\\\` for one backslash";
    case "BAD_SCALAR_START":
      return `a plain value cannot start with this character: ${QUOTE_SPECIALS}`;
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return (text.match(/: /g) ?? []).length >= 2
        ? "this value contains `: `, which starts a mapping: put the value in quotes, or use `|` and the text on the lines below"
        : "this line is indented under a key that already has its value on its own line: indent it like the keys beside it, or move the value below the key";
    case "BAD_INDENT":
      return "a `[` or `{` opened here is not closed, or the lines inside it are indented less than the key: close it on this line, or write one item per indented line";
    default:
      return `this line does not fit the lines around it: check its indentation (the same number of spaces for keys of one mapping) and ${QUOTE_SPECIALS}`;
  }
}
