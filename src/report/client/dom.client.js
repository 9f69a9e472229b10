// DOM and number helpers for report.html. Every string from the data reaches the page as a text
// node or an attribute value set through the DOM API, never as markup.
(() => {
  window.CXR = window.CXR || {};
  const CXR = window.CXR;
  const SVG_NS = "http://www.w3.org/2000/svg";

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else if (typeof child === "string" || typeof child === "number")
        el.appendChild(document.createTextNode(String(child)));
      else el.appendChild(child);
    }
    return el;
  }

  function setAttrs(el, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") el.textContent = String(value);
      else if (name === "class")
        el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
      else if (name.startsWith("on") && typeof value === "function")
        el.addEventListener(name.slice(2), value);
      else if (name.startsWith("on")) throw new Error(`refusing a string event handler: ${name}`);
      else if (name === "href") el.setAttribute("href", safeHref(value));
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    return el;
  }

  /** An element: h("td", { class: "num", "data-value": 3 }, "3"). */
  function h(tag, attrs, ...children) {
    return append(setAttrs(document.createElement(tag), attrs), children);
  }

  /** An SVG element. */
  function s(tag, attrs, ...children) {
    return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
  }

  /** Relative paths only (built by the report from slugs), each segment percent-encoded. */
  function safeHref(path) {
    const text = String(path);
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith("/") || text.startsWith("\\")) return "#";
    return text
      .split("/")
      .map((seg) => (seg === ".." || seg === "." ? seg : encodeURIComponent(seg)))
      .join("/");
  }

  const DASH = "–";
  const isNum = (v) => typeof v === "number" && Number.isFinite(v);
  const fmt = {
    DASH,
    isNum,
    pct(v, digits = 0) {
      return isNum(v) ? `${(v * 100).toFixed(digits)}%` : DASH;
    },
    ci(low, high) {
      return isNum(low) && isNum(high) ? `${(low * 100).toFixed(0)}–${(high * 100).toFixed(0)}%` : "";
    },
    fixed(v, digits = 2) {
      return isNum(v) ? v.toFixed(digits) : DASH;
    },
    int(v) {
      return isNum(v) ? Math.round(v).toLocaleString("en-US") : DASH;
    },
    compact(v) {
      if (!isNum(v)) return DASH;
      const abs = Math.abs(v);
      if (abs >= 1e9) return `${(v / 1e9).toFixed(2)}B`;
      if (abs >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
      if (abs >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
      if (abs >= 100 || Number.isInteger(v)) return Math.round(v).toLocaleString("en-US");
      return v.toFixed(1);
    },
    seconds(v) {
      if (!isNum(v)) return DASH;
      if (v < 60) return `${v.toFixed(1)}s`;
      const m = Math.floor(v / 60);
      const sec = Math.round(v % 60);
      return m < 60
        ? `${m}m${String(sec).padStart(2, "0")}s`
        : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
    },
    ms(v) {
      return isNum(v) ? (v < 1000 ? `${Math.round(v)} ms` : fmt.seconds(v / 1000)) : DASH;
    },
    bytes(v) {
      if (!isNum(v)) return DASH;
      if (v >= 1e6) return `${(v / 1e6).toFixed(1)} MB`;
      if (v >= 1e3) return `${(v / 1e3).toFixed(0)} kB`;
      return `${v} B`;
    },
    date(iso) {
      if (!iso) return DASH;
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return String(iso);
      return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
    },
    duration(fromIso, toIso) {
      const a = Date.parse(fromIso || "");
      const b = Date.parse(toIso || "");
      return Number.isFinite(a) && Number.isFinite(b) ? fmt.seconds((b - a) / 1000) : DASH;
    },
    truncate(text, max) {
      const t = String(text);
      return t.length > max ? `${t.slice(0, max - 1)}…` : t;
    },
  };

  const STATUS_LABEL = {
    ok: "ok",
    copilot_failed: "copilot failed",
    timeout: "timeout",
    harness_error: "harness error",
    interrupted: "interrupted",
    skipped: "skipped",
  };

  function statusBadge(status) {
    return h(
      "span",
      { class: ["badge", `s-${status}`], "data-status": status },
      STATUS_LABEL[status] || String(status),
    );
  }

  /** passed / failed / not graded / did not run. */
  function resultOf(row) {
    if (row.success === true) return "passed";
    if (row.success === false) return "failed";
    return row.status === "ok" ? "ungraded" : "none";
  }

  const RESULT_LABEL = { passed: "passed", failed: "failed", ungraded: "not graded", none: "did not run" };

  function resultBadge(row) {
    const r = resultOf(row);
    return h("span", { class: ["badge", `r-${r}`], "data-result": r }, RESULT_LABEL[r]);
  }

  function section(el, title, id, ...rest) {
    el.replaceChildren(h("header", null, h("h2", { id }, title), ...rest));
    return el;
  }

  CXR.dom = {
    h,
    s,
    append,
    safeHref,
    statusBadge,
    resultBadge,
    resultOf,
    section,
    STATUS_LABEL,
    RESULT_LABEL,
  };
  CXR.fmt = fmt;
})();
