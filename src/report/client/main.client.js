// Entry point: read the summary data and draw the first screen (header, variants, charts, trial
// list) at once. Trial details wait until a trial is opened.
(() => {
  const CXR = window.CXR;
  const app = document.getElementById("app");
  try {
    const data = JSON.parse(document.getElementById("report-data").textContent);
    CXR.data = data;
    CXR.summary.renderHeader(data, document.getElementById("run-header"));
    CXR.summary.renderVariants(data, document.getElementById("variants"));
    CXR.charts.renderCharts(data, document.getElementById("charts"));
    performance.mark("report:summary");
    CXR.trials.renderTrials(data, document.getElementById("trials"));
    performance.mark("report:ready");
    app.setAttribute("aria-busy", "false");
    document.documentElement.dataset.ready = "true";
  } catch (err) {
    app.prepend(
      CXR.dom.h(
        "div",
        { class: "load-error", role: "alert" },
        `The report could not be drawn: ${err?.message ?? String(err)}`,
      ),
    );
    throw err;
  }
})();
