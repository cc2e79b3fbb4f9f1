// The dashboard's charts, drawn by Chart.js (chart.umd.js, served beside this file when scripts/setup
// or the package put it there; nothing is fetched from outside). app.js asks
// window.dashboardCharts.bars(...) for a chart and gets an element to put in its page. Without the
// library the element says so and shows the same figures as a table, so the page still works.
// Chart.js sets the canvas's size through element.style (CSSOM), which the page's CSP allows; it
// adds no <style> of its own.
"use strict";

(function () {
  const vi = new Intl.NumberFormat("vi-VN");
  const font = { family: '"Noto Sans", "Segoe UI", Roboto, Arial, sans-serif', size: 13 };
  const ink = "#1d2327";
  const muted = "#5f6b73";

  // "2026-03" as a month's label under its bars: "T3/2026" (tháng 3 năm 2026).
  const monthLabel = (month) => "T" + Number(month.slice(5, 7)) + "/" + month.slice(0, 4);

  function node(tag, attrs, text) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  }

  // The figures as a plain table: what a page shows when the chart library is missing.
  function fallbackTable(months, series) {
    const head = node("tr");
    head.append(node("th", {}, "Tháng"), ...series.map((s) => node("th", { class: "num" }, s.name)));
    const body = node("tbody");
    months.forEach((m, i) => {
      const row = body.appendChild(node("tr"));
      row.append(node("td", {}, monthLabel(m)), ...series.map((s) => node("td", { class: "num" }, vi.format(s.values[i]))));
    });
    const thead = node("thead");
    thead.append(head);
    const table = node("table", { class: "chart-fallback" });
    table.append(thead, body);
    const wrap = node("div", { class: "table-wrap" });
    wrap.append(table);
    return wrap;
  }

  // A grouped bar chart: one group per month ("YYYY-MM"), one bar per series {name, color, values};
  // `axis` names what the bars count ("Số đơn"). Integer ticks at steps Chart.js chooses among
  // 1, 2, 5 × 10^n, a legend of small swatches under the chart, Vietnamese labels throughout.
  function bars(months, series, title, axis) {
    const box = node("div", { class: "chart", "data-chart": title });
    box.append(node("h3", {}, title));
    if (typeof window.Chart !== "function") {
      box.append(node("p", { class: "message warn chart-unavailable", role: "status" },
        "Không có thư viện vẽ biểu đồ trên máy chủ (chạy scripts/setup hoặc cài lại gói): biểu đồ tạm không hiển thị, số liệu ở bảng dưới."),
        fallbackTable(months, series));
      return box;
    }
    const frame = box.appendChild(node("div", { class: "chart-frame" }));
    const canvas = frame.appendChild(node("canvas", { role: "img", "aria-label": title }));
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: months.map(monthLabel),
        datasets: series.map((s) => ({ label: s.name, data: s.values, backgroundColor: s.color, borderRadius: 2,
          maxBarThickness: 28 })),
      },
      options: {
        locale: "vi-VN",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        font,
        color: ink,
        scales: {
          x: { grid: { display: false }, ticks: { color: muted, font, autoSkip: true, maxRotation: 0 },
            title: { display: true, text: "Tháng", color: muted, font } },
          y: { beginAtZero: true, grace: "5%", grid: { color: "#e3e7ea" },
            ticks: { precision: 0, color: muted, font, callback: (v) => vi.format(v) },
            title: { display: true, text: axis, color: muted, font } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14, boxHeight: 14, padding: 16, color: ink, font } },
          tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + vi.format(c.parsed.y) } },
        },
      },
    });
    return box;
  }

  window.dashboardCharts = { bars, available: () => typeof window.Chart === "function" };
})();
