// Bảng điều hành — the district dashboard's pages. Plain JS, nothing from outside this server; the
// charts are charts.js's (Chart.js), the phone's table cards phone.js's. Every text from the server is put in with textContent (never innerHTML), so
// what citizens typed cannot become markup. State-changing requests are POSTs carrying the
// session's CSRF token (X-CSRF-Token); a 401 answer sends the officer back to the login page.
"use strict";

(function () {
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const csrf = meta("csrf-token");
  const role = meta("officer-role");
  const main = document.getElementById("main");

  // [SECTION] helpers

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function toLogin() {
    location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
  }

  async function api(path) {
    const res = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (res.status === 401) { toLogin(); throw new Error("unauthorized"); }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message_vi || body.message || ("HTTP " + res.status));
    return body;
  }

  async function post(path, payload) {
    const res = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: JSON.stringify(payload || {}),
    });
    if (res.status === 401) { toLogin(); throw new Error("unauthorized"); }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message_vi || body.message || ("HTTP " + res.status));
    return body;
  }

  const vi = new Intl.NumberFormat("vi-VN");
  const num = (n) => (n === null || n === undefined ? "—" : vi.format(n));
  const pct = (n) => (n === null || n === undefined ? "—" : vi.format(n) + "%");
  // A unit's name from the data ("Xã Bạch Xa") inside a sentence: the level word lower-case, the
  // proper name as written ("nay là xã Hàm Yên"); core/text.h unitNameMidSentence on the server.
  const inSentence = (name) => (name ? name.charAt(0).toLocaleLowerCase("vi") + name.slice(1) : name);
  const dateVi = (iso) => (iso ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : "—");
  const dateTimeVi = (iso) => (iso ? dateVi(iso.slice(0, 10)) + " " + iso.slice(11, 16) : "chưa bao giờ");

  function formatCode(code) {
    return /^\d{16}$/.test(code) ? code.replace(/(\d{4})(?=\d)/g, "$1 ") : code;
  }

  function recordLink(code, official) {
    return el("a", { href: "/record?code=" + encodeURIComponent(code), class: "record-link code", "data-code": code },
      official ? official : formatCode(code));
  }

  function ago(ms, now) {
    if (ms === null || ms === undefined) return "chưa đồng bộ";
    const minutes = Math.max(0, Math.round((now - ms) / 60000));
    if (minutes < 60) return minutes + " phút trước";
    const hours = Math.round(minutes / 60);
    if (hours < 48) return hours + " giờ trước";
    return Math.round(hours / 24) + " ngày trước";
  }

  function drift(ms) {
    if (ms === null || ms === undefined) return "—";
    const seconds = Math.round(ms / 1000);
    const sign = seconds > 0 ? "nhanh " : seconds < 0 ? "chậm " : "";
    const abs = Math.abs(seconds);
    return abs < 60 ? sign + abs + " giây" : sign + Math.round(abs / 60) + " phút";
  }

  function table(headers, rows, attrs) {
    return el("div", { class: "table-wrap" },
      el("table", attrs || {},
        el("thead", {}, el("tr", {}, headers.map((h) => el("th", { class: h.num ? "num" : "" }, h.text || h)))),
        el("tbody", {}, rows)));
  }

  function message(text, kind) {
    return el("p", { class: "message " + (kind || "error"), role: "alert" }, text);
  }

  function setPage(title, ...nodes) {
    document.title = title + " — " + meta("unit-top");
    // replaceChildren writes a null as the text "null": the parts a page leaves out are dropped.
    main.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
  }

  // A month chart (labels "YYYY-MM", one bar per series): drawn by charts.js with Chart.js.
  function barChart(labels, series, title, axis) {
    return window.dashboardCharts.bars(labels, series, title, axis);
  }

  // [SECTION] overview: overdue first, then the fleet, then the months

  // A record list's row for the overview's cards: code, commune, kind, status, due, days.
  function listRow(r, last) {
    return el("tr", { class: r.overdue ? "overdue" : "", "data-code": r.code },
      el("td", {}, recordLink(r.code, r.official_code)),
      el("td", {}, r.commune_name),
      el("td", {}, r.procedure_name || r.kind_name),
      el("td", {}, r.status_name),
      el("td", {}, dateVi(r.due)),
      el("td", { class: "num" }, last(r)));
  }

  // A kiosk table cell: how the commune's kiosks are heard from, with what needs looking at.
  function syncCell(c, data, now) {
    return el("td", {},
      // A citizen pressed "Gọi cán bộ" at one of its kiosks (its last heartbeat said so).
      c.help_requested_ms ? el("span", { class: "badge bad help-requested" }, "có người dân gọi cán bộ " + ago(c.help_requested_ms, now) + " ") : null,
      c.no_kiosk ? el("span", { class: "badge" }, "chưa đăng ký máy")
        // Enrolled and not heard from yet: not "silent", unless that has lasted past the limit.
        : c.never_synced ? el("span", { class: "badge never-synced" }, "chưa đồng bộ") : ago(c.last_sync_ms, now),
      c.silent ? el("span", { class: "badge warn" }, " im lặng > " + data.silent_after_hours + " giờ") : null,
      // Beside the sync state, not at the row's end: a phone shows only the first columns.
      c.insecure_http ? el("span", { class: "badge bad insecure-http", title: "Máy kiosk gửi dữ liệu qua http:// không mã hoá" }, " http không mã hoá") : null,
      c.low_disk ? el("span", { class: "badge bad low-disk" }, " ổ đĩa còn < " + data.low_disk_mb + " MB") : null,
      c.big_queue ? el("span", { class: "badge warn big-queue" }, " hàng chờ > " + data.big_queue) : null,
      // Kiosks still enrolled under a commune another succeeded: move them (district-server move-kiosk).
      c.move_due ? el("span", { class: "badge warn commune-changed", title: "Xã đã thay đổi: chuyển máy sang xã mới (district-server move-kiosk)" }, " xã đã đổi: nay là " + inSentence(c.successor.name)) : null,
      // Ended with no succession imported: nobody receives its records (see the message above).
      c.orphaned_since ? el("span", { class: "badge bad commune-orphaned" }, " không còn từ " + dateVi(c.orphaned_since) + ", chưa có đơn vị kế thừa") : null);
  }

  async function overview() {
    const data = await api("/dash/api/overview");
    const now = data.server_time_ms;
    const overdueRows = data.overdue.map((r) => listRow(r, (x) => num(x.days_overdue)));
    const soonRows = data.due_soon.map((r) => listRow(r, () => ""));
    // Problem communes come first from the server; their rows are marked.
    const fleetRows = data.communes.map((c) =>
      el("tr", { class: c.flagged ? "flagged" : "", "data-commune": c.code },
        el("td", {}, c.name, " ", el("span", { class: "code" }, c.code)),
        syncCell(c, data, now),
        el("td", { class: "num" }, num(c.records_waiting)),
        el("td", { class: "num" }, num(c.open)),
        el("td", { class: "num" }, c.overdue ? el("span", { class: "badge bad" }, num(c.overdue)) : "0"),
        el("td", {}, drift(c.clock_skew_ms),
          c.clock_drift ? el("span", { class: "badge bad" }, " lệch > " + data.clock_drift_minutes + " phút") : null),
        el("td", {}, c.app_version || "—",
          // A kiosk below the oldest version the server serves in full: what the kiosk is told.
          c.too_old ? el("span", { class: "badge bad kiosk-too-old" }, " " + c.too_old.vi) : null)));
    const months = data.monthly.map((m) => m.month);
    // Years whose days off are the product's provisional guess: deadlines there may move.
    const provisional = data.provisional_holiday_years || [];
    // Units the map ended with no succession, still holding records or kiosks: said plainly, never
    // left to look like a quiet commune.
    const orphaned = data.communes.filter((c) => c.orphaned_since && (c.open || !c.no_kiosk));
    setPage("Tổng quan",
      ...orphaned.map((c) => el("p", { class: "message bad commune-orphaned-warning", role: "alert", "data-commune": c.code },
        "Đơn vị " + inSentence(c.name) + " (" + c.code + ") không còn từ ngày " + dateVi(c.orphaned_since) +
        " và chưa có đơn vị kế thừa: hồ sơ của đơn vị này chưa có ai nhận (" + num(c.open) + " hồ sơ đang xử lý" +
        (c.no_kiosk ? "" : ", " + num(c.kiosks.length) + " máy kiosk vẫn đăng ký ở đơn vị này") +
        "). Hãy nhập bảng kế thừa (Quản trị → Nhập dữ liệu).")),
      ...(provisional.length ? [el("p", { class: "message warn", id: "holiday-warning", role: "alert" },
        "Chưa có bảng ngày nghỉ chính thức năm " + provisional.join(", ") + ": Tết đang được tính tạm " +
        "(ngày cuối năm cũ và mùng 1–4). Hãy nhập bảng chính thức khi được công bố (Quản trị → Nhập dữ liệu).")] : []),
      el("div", { class: "stats" },
        el("div", { class: "stat bad" }, el("div", { class: "value", id: "stat-overdue" }, num(data.overdue_total)), el("div", { class: "label" }, "đơn và hồ sơ quá hạn")),
        el("div", { class: "stat warn" }, el("div", { class: "value" }, num(data.flagged_communes)), el("div", { class: "label" }, "xã cần kiểm tra máy kiosk")),
        el("div", { class: "stat" }, el("div", { class: "value" }, num(data.communes.reduce((a, c) => a + c.open, 0))), el("div", { class: "label" }, "đang xử lý")),
        el("div", { class: "stat" }, el("div", { class: "value" }, dateVi(data.today)), el("div", { class: "label" }, "hôm nay"))),
      el("div", { class: "grid" },
        el("section", { class: "card span-6", id: "overdue" },
          el("h2", {}, "Quá hạn (", el("span", { id: "overdue-total" }, num(data.overdue_total)), ")"),
          data.overdue.length
            ? table(["Mã", "Xã", "Loại", "Tình trạng", "Hạn", { text: "Quá (ngày)", num: true }], overdueRows, { id: "overdue-table" })
            : el("p", { id: "overdue-empty" }, "Không có hồ sơ nào quá hạn."),
          data.overdue_total > data.overdue.length
            ? el("p", {}, el("a", { href: "/records?overdue=1", id: "overdue-all" }, "Xem tất cả " + num(data.overdue_total) + " hồ sơ quá hạn"))
            : null),
        el("section", { class: "card span-6", id: "due-soon" },
          el("h2", {}, "Sắp đến hạn trong " + data.due_soon_days + " ngày làm việc (", el("span", { id: "due-soon-total" }, num(data.due_soon_total)), ")"),
          data.due_soon.length
            ? table(["Mã", "Xã", "Loại", "Tình trạng", "Hạn", ""], soonRows, { id: "due-soon-table" })
            : el("p", { id: "due-soon-empty" }, "Không có hồ sơ nào sắp đến hạn."),
          data.due_soon_total > data.due_soon.length
            ? el("p", {}, el("a", { href: "/records?due_soon=" + data.due_soon_days, id: "due-soon-all" }, "Xem tất cả " + num(data.due_soon_total) + " hồ sơ sắp đến hạn"))
            : null),
        el("section", { class: "card", id: "fleet" },
          el("h2", {}, "Các xã và máy kiosk"),
          table(["Xã", "Đồng bộ lần cuối", { text: "Chờ gửi", num: true }, { text: "Đang xử lý", num: true },
            { text: "Quá hạn", num: true }, "Đồng hồ", "Phiên bản"], fleetRows, { id: "fleet-table" })),
        el("section", { class: "card span-6" },
          barChart(months, [
            { name: "Đơn tiếp nhận", color: "#1d4ed8", values: data.monthly.map((m) => m.petitions_received) },
            { name: "Đơn đã giải quyết", color: "#15803d", values: data.monthly.map((m) => m.petitions_resolved) },
          ], "Đơn theo tháng", "Số đơn")),
        el("section", { class: "card span-6" },
          barChart(months, [
            { name: "Hồ sơ tiếp nhận", color: "#a11d21", values: data.monthly.map((m) => m.dossiers_received) },
            { name: "Hồ sơ có kết quả", color: "#e0a100", values: data.monthly.map((m) => m.dossiers_resolved) },
          ], "Hồ sơ thủ tục theo tháng", "Số hồ sơ"))));
  }

  // The overview refreshes itself (every 60 s; "/?refresh=N" for N seconds, at least 5, on a wall
  // screen) without a page reload — but not while the officer types in a field or a form is
  // open, nor while the page is hidden. A failed refresh leaves the page as it was until the next.
  function refreshOverview() {
    const asked = Number(new URLSearchParams(location.search).get("refresh"));
    const seconds = asked >= 5 ? asked : 60;
    setTimeout(async () => {
      const active = document.activeElement;
      const busy = document.hidden || main.querySelector("form") ||
        (active && active !== document.body && active.matches("input, select, textarea"));
      if (!busy) {
        try { await overview(); document.body.dataset.refreshed = String(Date.now()); } catch (e) { /* next time */ }
      }
      refreshOverview();
    }, seconds * 1000);
  }

  // [SECTION] records

  const statuses = [["received", "Đã tiếp nhận"], ["accepted", "Đã thụ lý"], ["info-requested", "Yêu cầu bổ sung thông tin"],
    ["processing", "Đang xử lý (hồ sơ)"], ["supplement-requested", "Yêu cầu bổ sung hồ sơ"], ["suspended", "Tạm dừng, tạm đình chỉ"],
    ["result-ready", "Có kết quả, chờ trả"], ["transferred", "Đã chuyển đơn"], ["resolved", "Đã giải quyết"],
    ["not-accepted", "Không thụ lý"], ["withdrawn", "Đã rút đơn"], ["delivered", "Đã trả kết quả"], ["refused", "Từ chối"]];
  const petitionKinds = [["khieu-nai", "Khiếu nại"], ["to-cao", "Tố cáo"], ["kien-nghi", "Kiến nghị"], ["phan-anh", "Phản ánh"]];

  // Pages of a list counted on the server: first, previous, "page x of y", next, last.
  function pager(data, go) {
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    const button = (id, text, to) => el("button", { type: "button", id, disabled: to < 1 || to > pages || to === data.page,
      onclick: () => go(to) }, text);
    return el("nav", { class: "pager", "aria-label": "Trang" },
      button("page-first", "« Đầu", 1), button("page-prev", "‹ Trước", data.page - 1),
      el("span", { id: "page-of" }, " Trang " + num(data.page) + " / " + num(pages) + " "),
      button("page-next", "Sau ›", data.page + 1), button("page-last", "Cuối »", pages));
  }

  async function records() {
    const params = new URLSearchParams(location.search);
    const communes = (await api("/dash/api/communes")).communes;
    const options = (list, name, all) => [el("option", { value: "" }, all),
      ...list.map(([value, text]) => el("option", { value, selected: params.get(name) === value }, text))];
    const q = el("input", { id: "filter-q", placeholder: "Mã biên nhận hoặc mã hồ sơ", value: params.get("q") || "" });
    const commune = el("select", { id: "filter-commune" }, options(communes.map((c) => [c.code, c.name]), "commune", "Tất cả các xã"));
    const kind = el("select", { id: "filter-kind" },
      options([["petition", "Đơn"], ["dossier", "Hồ sơ thủ tục"]], "kind", "Đơn và hồ sơ"));
    const petitionKind = el("select", { id: "filter-petition-kind" }, options(petitionKinds, "petition_kind", "Mọi loại đơn"));
    const status = el("select", { id: "filter-status" }, options(statuses, "status", "Mọi tình trạng"));
    const dueSoon = el("select", { id: "filter-due-soon" },
      options([["1", "1 ngày làm việc"], ["3", "3 ngày làm việc"], ["5", "5 ngày làm việc"], ["10", "10 ngày làm việc"]], "due_soon", "—"));
    const overdueOnly = el("input", { type: "checkbox", id: "filter-overdue", checked: params.get("overdue") === "1" });
    const mine = el("input", { type: "checkbox", id: "filter-mine", checked: params.get("mine") === "1" });
    const results = el("div", {}, el("p", { class: "loading" }, "Đang tải…"));
    let page = Number(params.get("page")) || 1;
    async function load() {
      const query = new URLSearchParams();
      if (q.value.trim()) query.set("q", q.value.trim());
      if (commune.value) query.set("commune", commune.value);
      if (kind.value) query.set("kind", kind.value);
      if (petitionKind.value) query.set("petition_kind", petitionKind.value);
      if (status.value) query.set("status", status.value);
      if (dueSoon.value) query.set("due_soon", dueSoon.value);
      if (overdueOnly.checked) query.set("overdue", "1");
      if (mine.checked) query.set("mine", "1");
      if (page > 1) query.set("page", page);
      history.replaceState(null, "", "/records" + (query.toString() ? "?" + query : ""));
      try {
        const data = await api("/dash/api/records?" + query);
        const go = (to) => { page = to; load(); };
        results.replaceChildren(
          el("p", { id: "records-total" }, num(data.total) + " hồ sơ" + (data.total > data.records.length
            ? ", hiện " + num((data.page - 1) * data.per_page + (data.records.length ? 1 : 0)) + "–" + num((data.page - 1) * data.per_page + data.records.length)
            : "")),
          data.records.length
            ? table(["Mã", "Xã", "Loại", "Thủ tục", "Tình trạng", "Hạn", "Giao cho"], data.records.map((r) =>
                el("tr", { class: r.overdue ? "overdue" : "", "data-code": r.code },
                  el("td", {}, recordLink(r.code, r.official_code)),
                  el("td", {}, r.commune_name + (r.former_unit ? " (từ " + r.former_unit + ")" : "")),
                  el("td", {}, r.kind_name),
                  el("td", {}, r.procedure_name || "—"),
                  el("td", {}, r.status_name),
                  el("td", {}, r.transferred ? el("span", { class: "badge transferred" }, "đã chuyển đơn") : dateVi(r.due),
                    r.overdue ? el("span", { class: "badge bad" }, " quá " + r.days_overdue + " ngày") : null),
                  el("td", {}, r.assigned_name || "—"))),
              { id: "records-table" })
            : el("p", {}, "Không có hồ sơ nào khớp."),
          data.total > data.per_page ? pager(data, go) : null);
      } catch (e) {
        results.replaceChildren(message(e.message));
      }
    }
    const field = (id, label, input) => el("div", {}, el("label", { for: id }, label), input);
    setPage("Hồ sơ",
      el("section", { class: "card" },
        el("h2", {}, "Tra cứu đơn và hồ sơ"),
        el("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); page = 1; load(); } },
          field("filter-q", "Mã", q),
          field("filter-commune", "Xã", commune),
          field("filter-kind", "Loại", kind),
          field("filter-petition-kind", "Loại đơn", petitionKind),
          field("filter-status", "Tình trạng", status),
          field("filter-due-soon", "Sắp đến hạn trong", dueSoon),
          field("filter-overdue", "Chỉ quá hạn", overdueOnly),
          field("filter-mine", "Giao cho tôi", mine),
          el("div", {}, el("button", { type: "submit", class: "primary" }, "Tìm"))),
        results),
      role === "leader" || role === "admin" ? null : identitySearchCard(commune));
    await load();
  }

  // Finding a record by the citizen's name, phone or số định danh: the server opens the seals of a
  // bounded number of records to match, and logs the search and each record it shows as readings.
  function identitySearchCard(commune) {
    const q = el("input", { id: "identity-q", placeholder: "Họ tên, số điện thoại hoặc số định danh" });
    const out = el("div", { id: "identity-results" });
    return el("section", { class: "card", id: "identity-search" },
      el("h2", {}, "Tìm theo thông tin người gửi"),
      el("p", {}, "Thông tin người gửi được niêm phong; máy chủ mở để so khớp và mỗi lần tìm đều được ghi lại " +
        "trong nhật ký xem thông tin. Đơn tố cáo chỉ người có thẩm quyền tìm được."),
      el("form", { class: "filters", onsubmit: async (e) => {
        e.preventDefault();
        out.replaceChildren(el("p", { class: "loading" }, "Đang tìm…"));
        try {
          const r = await post("/dash/api/identity-search", { query: q.value, commune: commune.value });
          out.replaceChildren(
            el("p", { id: "identity-total" }, num(r.records.length) + " hồ sơ khớp trong " + num(r.searched) + " hồ sơ mới nhất" +
              (r.truncated ? " (hồ sơ mới đến chưa vào chỉ mục: chỉ mở " + num(r.max_candidates) + " hồ sơ mới nhất trong số đó; hãy chọn xã để thu hẹp)" : "") + "."),
            r.records.length ? table(["Mã", "Họ tên", "Điện thoại", "Xã", "Loại", "Tình trạng"], r.records.map((x) =>
              el("tr", { "data-code": x.code },
                el("td", {}, recordLink(x.code, x.official_code)),
                el("td", {}, x.name || "—"), el("td", {}, x.phone || "—"),
                el("td", {}, x.commune_name), el("td", {}, x.procedure_name || x.kind_name), el("td", {}, x.status_name))),
              { id: "identity-table" }) : null);
        } catch (err) { out.replaceChildren(message(err.message)); }
      } },
        el("div", {}, el("label", { for: "identity-q" }, "Người gửi"), q),
        el("div", {}, el("button", { type: "submit", id: "identity-submit" }, "Tìm (được ghi lại)"))),
      out);
  }

  // [SECTION] one record: facts, history, the actions this role may take

  function renderRecord(r, notice) {
    const facts = el("dl", { class: "facts" },
      el("dt", {}, "Mã biên nhận"), el("dd", { class: "code" }, formatCode(r.code)),
      r.kind === "dossier" ? [el("dt", {}, "Mã hồ sơ chính thức"),
        el("dd", { class: "code", id: "record-official-code" }, r.official_code || "chưa cấp")] : null,
      el("dt", {}, "Loại"), el("dd", { id: "record-kind" }, r.kind_name),
      r.procedure ? [el("dt", {}, "Thủ tục"), el("dd", { id: "record-procedure" }, r.procedure_name)] : null,
      el("dt", {}, "Xã"), el("dd", {}, r.commune_name),
      el("dt", {}, "Giao cho"), el("dd", { id: "record-assigned" }, r.assigned ? r.assigned.name : "chưa giao"),
      el("dt", {}, "Tình trạng"), el("dd", { id: "record-status", "data-status": r.status }, r.status_name),
      el("dt", {}, "Ngày tiếp nhận"), el("dd", {}, dateVi(r.received_on)),
      el("dt", {}, "Hạn"), el("dd", {}, dateVi(r.due), r.overdue ? el("span", { class: "badge bad" }, " quá hạn") : null),
      r.result_note ? [el("dt", {}, "Ghi chú / kết quả"), el("dd", {}, r.result_note)] : null,
      r.transfer_agency ? [el("dt", {}, "Chuyển đến"), el("dd", { id: "record-agency" }, r.transfer_agency.name)] : null,
      r.suspended_on ? [el("dt", {}, "Tạm đình chỉ từ"), el("dd", {}, dateVi(r.suspended_on))] : null,
      r.withdrawn_parts ? [el("dt", {}, "Phần đã rút"), el("dd", { class: "content" }, r.withdrawn_parts)] : null,
      r.kind === "dossier" ? [el("dt", {}, "Trả kết quả"), el("dd", {}, r.delivery === "post" ? "qua bưu chính" : "tại " + meta("desk"))] : null);

    // The identity and the content arrive only from /dash/api/identity, which records the reading
    // before it answers; a tố cáo's only for inspectors (Luật Tố cáo 2018, Điều 47).
    let identity;
    if (r.identity_hidden) {
      identity = el("div", { id: "identity-box" },
        el("p", {}, r.denunciation
          ? "Danh tính người tố cáo được giữ bí mật (Luật Tố cáo 2018, Điều 47); chỉ thanh tra được xem."
          : "Thông tin người gửi và nội dung được niêm phong; mỗi lần xem đều được ghi lại."),
        r.may_reveal_identity ? el("button", { type: "button", id: "reveal-identity", onclick: async () => {
          try { renderRecord(await post("/dash/api/identity", { code: r.code }), "Việc xem danh tính đã được ghi lại."); }
          catch (e) { identity.append(message(e.message)); }
        } }, "Xem thông tin người gửi (được ghi lại)") : null);
    } else if (r.identity) {
      const id = r.identity;
      identity = el("div", { id: "identity-box" },
        el("dl", { class: "facts" },
          el("dt", {}, "Họ tên"), el("dd", { id: "identity-name" }, id.name || "—"),
          el("dt", {}, "CCCD"), el("dd", {}, id.cccd || "—"),
          el("dt", {}, "Điện thoại"), el("dd", {}, id.phone || "—"),
          el("dt", {}, "Địa chỉ"), el("dd", {}, id.address || "—"),
          id.writer ? [el("dt", {}, "Người viết hộ"), el("dd", { id: "identity-writer" },
            id.writer + (id.writer_relation ? " (" + id.writer_relation + ")" : ""))] : null,
          r.content ? [el("dt", {}, "Nội dung"), el("dd", { class: "content" }, r.content)] : null));
    }

    const history = el("ol", { class: "history", id: "record-history" }, r.history.map((h) =>
      el("li", { class: h.actor_role === "district" ? "district" : "" },
        el("div", {}, el("strong", {}, h.action_name), " — ",
          h.actor_role === "district" ? "cán bộ cấp " + meta("unit-top-level") + " " + (h.actor_name || h.actor)
            : h.actor_role === "commune" ? "cán bộ xã " + (h.actor_name || h.actor) : "máy tiếp nhận " + (h.kiosk || "")),
        el("div", { class: "when" }, dateTimeVi(h.at)),
        h.note ? el("div", {}, h.note) : null)));

    // Admins and leaders give the record to an officer (stored at the district, logged).
    const assignBox = r.assignable.length ? el("form", { id: "assign-form", class: "filters", onsubmit: async (e) => {
      e.preventDefault();
      try { renderRecord(await post("/dash/api/assign", { code: r.code, officer: e.target.elements.officer.value }), "Đã giao hồ sơ."); }
      catch (err) { e.target.append(message(err.message)); }
    } },
      el("div", {}, el("label", { for: "assign-officer" }, "Giao cho cán bộ"),
        el("select", { id: "assign-officer", name: "officer" }, el("option", { value: "" }, "— Chưa giao —"),
          r.assignable.map((o) => el("option", { value: o.id, selected: r.assigned && r.assigned.id === o.id }, o.name)))),
      el("div", {}, el("button", { type: "submit", id: "assign-submit" }, "Giao"))) : null;
    let actionBox = null;
    if (r.actions.length) {
      const select = el("select", { id: "action-select" }, r.actions.map((a) => el("option", { value: a.action }, a.label)));
      const note = el("textarea", { id: "action-note", placeholder: "Ghi chú, lý do hoặc kết quả giải quyết" });
      const official = el("input", { id: "action-official-code", placeholder: "VD: H58.22-250312-0007" });
      const officialRow = el("div", { class: "hidden", id: "official-row" }, el("label", { for: "action-official-code" }, "Mã hồ sơ chính thức"), official);
      // A transfer names the agency it goes to, from the data's list of the day (agencies.tsv).
      const agency = el("select", { id: "action-agency" },
        el("option", { value: "" }, "— Chọn cơ quan nhận đơn —"),
        (r.agencies || []).map((a) => el("option", { value: a.slug }, a.name)));
      const agencyRow = el("div", { class: "hidden", id: "agency-row" }, el("label", { for: "action-agency" }, "Chuyển đến"), agency);
      const noteHint = el("p", { class: "hint" });
      const result = el("div", { id: "action-message" });
      const refresh = () => {
        const chosen = r.actions.find((a) => a.action === select.value);
        officialRow.classList.toggle("hidden", select.value !== "assign-code");
        agencyRow.classList.toggle("hidden", select.value !== "transfer");
        noteHint.textContent = chosen && chosen.note_required ? "Thao tác này cần ghi rõ lý do." : "";
      };
      select.addEventListener("change", refresh);
      const submit = el("button", { type: "submit", class: "primary", id: "action-submit" }, "Thực hiện");
      actionBox = el("section", { class: "card span-4" },
        el("h2", {}, "Xử lý"),
        el("form", { id: "action-form", onsubmit: async (e) => {
          e.preventDefault();
          submit.disabled = true;
          try {
            const updated = await post("/dash/api/act", { code: r.code, action: select.value, note: note.value, official_code: official.value, agency: agency.value });
            renderRecord(updated, "Đã ghi nhận; xã nhận được ở lần đồng bộ tới.");
          } catch (err) {
            result.replaceChildren(message(err.message));
            submit.disabled = false;
          }
        } },
          el("label", { for: "action-select" }, "Thao tác"), select, noteHint,
          el("label", { for: "action-note" }, "Ghi chú"), note,
          officialRow, agencyRow,
          el("div", { class: "actions" }, submit)),
        result);
      refresh();
    }

    setPage("Hồ sơ " + (r.official_code || formatCode(r.code)),
      el("p", {}, el("a", { href: "/records" }, "← Danh sách hồ sơ")),
      notice ? message(notice, "ok") : null,
      el("div", { class: "grid" },
        el("section", { class: "card " + (actionBox ? "span-8" : "") },
          el("h1", {}, r.kind_name, " ", el("span", { class: "code" }, r.official_code || formatCode(r.code))),
          facts, assignBox,
          identity ? el("h3", {}, "Người gửi") : null, identity,
          el("h3", {}, "Diễn biến"), history),
        actionBox));
  }

  async function recordPage() {
    const code = new URLSearchParams(location.search).get("code") || "";
    renderRecord(await api("/dash/api/record?code=" + encodeURIComponent(code)));
  }

  // [SECTION] report

  // The citizens' ratings per unit (the report's "satisfaction"): counts per value, the share
  // satisfied or better, and the reasons ticked, most ticked first, named from the criteria file.
  function satisfactionTable(r, unitLabel) {
    const names = {};
    for (const c of r.rating_criteria || []) names[c.id] = c.vi;
    const reasons = (s) => Object.entries(s.criteria || {}).sort((a, b) => b[1] - a[1])
      .map(([id, n]) => (names[id] || id) + ": " + num(n)).join("; ");
    const row = (name, f) => {
      const s = f.satisfaction || {};
      const by = s.by_value || {};
      const satisfied = s.ratings ? Math.round(1000 * ((by["rat-hai-long"] || 0) + (by["hai-long"] || 0)) / s.ratings) / 10 : null;
      return el("tr", {},
        el("td", {}, name), el("td", { class: "num" }, num(s.ratings || 0)),
        el("td", { class: "num" }, num(by["rat-hai-long"] || 0)), el("td", { class: "num" }, num(by["hai-long"] || 0)),
        el("td", { class: "num" }, num(by["khong-hai-long"] || 0)), el("td", { class: "num" }, pct(satisfied)),
        el("td", {}, reasons(s)));
    };
    return table(["Đơn vị", { text: "Lượt đánh giá", num: true }, { text: "Rất hài lòng", num: true },
      { text: "Hài lòng", num: true }, { text: "Không hài lòng", num: true }, { text: "Tỷ lệ hài lòng", num: true },
      "Lý do được chọn"],
    [row(r.name, r)].concat(r.communes.map((c) => row(unitLabel(c), c))),
    { id: "report-satisfaction" });
  }

  async function reportPage() {
    const params = new URLSearchParams(location.search);
    const today = new Date();
    const iso = (d) => d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
    const from = el("input", { type: "date", id: "report-from", value: params.get("from") || today.getFullYear() + "-01-01" });
    const to = el("input", { type: "date", id: "report-to", value: params.get("to") || iso(today) });
    // The files the report is sent upward in: Excel, and CSV either as spreadsheets set to
    // Vietnamese read it (";" and 81,4) or plain (",", 81.4).
    const xlsx = el("a", { id: "report-xlsx", href: "#" }, "Tải về Excel (.xlsx)");
    const pdf = el("a", { id: "report-pdf", href: "#" }, "Bản in PDF");
    const csvVi = el("a", { id: "report-csv-vi", href: "#" }, "CSV (dấu ;)");
    const csv = el("a", { id: "report-csv", href: "#" }, "CSV (dấu ,)");
    const out = el("div", {});
    async function load() {
      const query = new URLSearchParams({ from: from.value, to: to.value });
      history.replaceState(null, "", "/report?" + query);
      xlsx.href = "/dash/report.xlsx?" + query;
      pdf.href = "/dash/report.pdf?" + query;
      csvVi.href = "/dash/report.csv?" + query + "&sep=semicolon&decimal=comma";
      csv.href = "/dash/report.csv?" + query;
      out.replaceChildren(el("p", { class: "loading" }, "Đang tính…"));
      try {
        const r = await api("/dash/api/report?" + query);
        // The report names its units from the data: the whole is the unit above the communes, and a
        // line that holds a former unit's records says so.
        const unitLabel = (c) => c.name + ((c.former_units || []).length
          ? " (gồm cả " + c.former_units.map((f) => inSentence(f.name)).join(", ") + ")" : "") +
          (c.orphaned_since ? " — không còn từ " + dateVi(c.orphaned_since) + ", chưa có đơn vị kế thừa: hồ sơ chưa có ai nhận" : "");
        const row = (name, code, f, prev) => el("tr", {},
          el("td", {}, name), el("td", { class: "num" }, num(f.receptions_visits)), el("td", { class: "num" }, num(f.receptions_people)),
          el("td", { class: "num" }, num(f.receptions_cases)), el("td", { class: "num" }, num(f.petitions_received)),
          el("td", { class: "num" }, num(prev.petitions_received)), el("td", { class: "num" }, num(f.petitions_carried_over)),
          el("td", { class: "num" }, num(f.petitions_resolved)), el("td", { class: "num" }, pct(f.resolved_percent)),
          el("td", { class: "num" }, num(f.petitions_overdue_now)), el("td", { class: "num" }, num(f.dossiers_received)),
          el("td", { class: "num" }, num(f.dossiers_resolved)), el("td", { class: "num" }, num(f.dossiers_resolved_late)));
        out.replaceChildren(
          el("p", { class: "sentence", id: "report-sentence" }, r.sentence + "."),
          table(["Đơn vị", { text: "Lượt tiếp", num: true }, { text: "Người", num: true }, { text: "Vụ việc", num: true },
            { text: "Đơn nhận", num: true }, { text: "Cùng kỳ", num: true }, { text: "Kỳ trước chuyển sang", num: true },
            { text: "Đã giải quyết", num: true }, { text: "Tỷ lệ", num: true }, { text: "Quá hạn", num: true },
            { text: "Hồ sơ nhận", num: true }, { text: "Hồ sơ có KQ", num: true }, { text: "Hồ sơ trễ hạn", num: true }],
          [row(r.name, r.code, r, r.previous_period)].concat(r.communes.map((c) => row(unitLabel(c), c.code, c, c.previous_period))),
          { id: "report-table" }),
          el("h3", {}, "Mức độ hài lòng"),
          satisfactionTable(r, unitLabel),
          el("h3", {}, "Báo cáo"), el("pre", { class: "report-text" }, r.text));
      } catch (e) {
        out.replaceChildren(message(e.message));
      }
    }
    setPage("Báo cáo",
      el("section", { class: "card" },
        el("h2", {}, "Báo cáo theo kỳ"),
        el("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); load(); } },
          el("div", {}, el("label", { for: "report-from" }, "Từ ngày"), from),
          el("div", {}, el("label", { for: "report-to" }, "Đến ngày"), to),
          el("div", {}, el("button", { type: "submit", class: "primary", id: "report-run" }, "Xem báo cáo")),
          el("div", { class: "downloads" }, xlsx, pdf, csvVi, csv)),
        el("p", { class: "hint", id: "report-received-rule" },
          "Ngày tiếp nhận: đơn và hồ sơ nộp ngoài giờ làm việc, vào ngày nghỉ hoặc ngày lễ được tính là nhận vào ngày làm việc kế tiếp, nên số của hôm nay có thể chưa gồm chúng."),
        out));
    load();
  }

  // [SECTION] receptions

  async function receptionsPage() {
    const communes = (await api("/dash/api/communes")).communes;
    const list = el("div", {});
    const today = new Date();
    const from = today.getFullYear() + "-01-01";
    async function load() {
      try {
        const data = await api("/dash/api/receptions?from=" + from);
        list.replaceChildren(data.receptions.length
          ? table(["Ngày", "Nơi tiếp", { text: "Số người", num: true }, "Vụ việc", "Loại", "Kết quả", "Cán bộ"],
            data.receptions.map((r) => el("tr", {},
              el("td", {}, dateVi(r.date)),
              el("td", {}, r.level === "district" ? "Cấp " + meta("unit-top-level") : r.commune_name),
              el("td", { class: "num" }, num(r.people)),
              el("td", {}, r.case === "new" ? "mới" : formatCode(r.case)),
              el("td", {}, r.kind || "—"), el("td", {}, r.outcome || "—"), el("td", {}, r.officer))), { id: "receptions-table" })
          : el("p", {}, "Chưa có lượt tiếp nào trong năm nay."));
      } catch (e) { list.replaceChildren(message(e.message)); }
    }
    const people = el("input", { type: "number", id: "reception-people", min: 1, max: 1000, value: 1 });
    const caseCode = el("input", { id: "reception-case", placeholder: "để trống nếu là vụ việc mới" });
    const kind = el("select", { id: "reception-kind" }, el("option", { value: "" }, "chưa rõ"),
      el("option", { value: "khieu-nai" }, "Khiếu nại"), el("option", { value: "to-cao" }, "Tố cáo"),
      el("option", { value: "kien-nghi" }, "Kiến nghị"), el("option", { value: "phan-anh" }, "Phản ánh"));
    const commune = el("select", { id: "reception-commune" }, el("option", { value: "" }, "—"),
      communes.map((c) => el("option", { value: c.code }, c.name)));
    const outcome = el("input", { id: "reception-outcome", placeholder: "hướng dẫn, nhận đơn, trả lời trực tiếp…" });
    const note = el("textarea", { id: "reception-note" });
    const date = el("input", { type: "date", id: "reception-date" });
    const feedback = el("div", {});
    setPage("Tiếp công dân",
      el("div", { class: "grid" },
        el("section", { class: "card span-4" },
          el("h2", {}, "Ghi nhận lượt tiếp tại " + meta("unit-top")),
          el("form", { id: "reception-form", onsubmit: async (e) => {
            e.preventDefault();
            try {
              await post("/dash/api/reception", { people: Number(people.value), case: caseCode.value.trim() || "new",
                kind: kind.value, outcome: outcome.value, note: note.value, commune: commune.value, date: date.value });
              feedback.replaceChildren(message("Đã ghi nhận.", "ok"));
              caseCode.value = ""; outcome.value = ""; note.value = ""; people.value = 1;
              load();
            } catch (err) { feedback.replaceChildren(message(err.message)); }
          } },
            el("label", { for: "reception-date" }, "Ngày (để trống: hôm nay)"), date,
            el("label", { for: "reception-people" }, "Số người"), people,
            el("label", { for: "reception-case" }, "Mã hồ sơ của vụ việc cũ"), caseCode,
            el("label", { for: "reception-kind" }, "Loại vụ việc"), kind,
            el("label", { for: "reception-commune" }, "Công dân ở xã"), commune,
            el("label", { for: "reception-outcome" }, "Kết quả"), outcome,
            el("label", { for: "reception-note" }, "Ghi chú"), note,
            el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Ghi nhận"))),
          feedback),
        el("section", { class: "card span-8" }, el("h2", {}, "Các lượt tiếp trong năm"), list),
        intakeCard(communes)));
    load();
  }

  // A petition received on paper (by post or in person) becomes a record with a receipt code of the
  // server's own series; the identity and summary are sealed on the server at once.
  function intakeCard(communes) {
    const field = (id, attrs) => el("input", Object.assign({ id: id }, attrs || {}));
    const kind = el("select", { id: "intake-kind" },
      el("option", { value: "khieu-nai" }, "Khiếu nại"), el("option", { value: "to-cao" }, "Tố cáo"),
      el("option", { value: "kien-nghi" }, "Kiến nghị"), el("option", { value: "phan-anh" }, "Phản ánh"));
    const channel = el("select", { id: "intake-channel" },
      el("option", { value: "post" }, "Qua bưu chính"), el("option", { value: "in-person" }, "Trực tiếp"));
    const received = field("intake-received", { type: "date" });
    const commune = el("select", { id: "intake-commune" }, el("option", { value: "" }, "—"),
      communes.map((c) => el("option", { value: c.code }, c.name)));
    const name = field("intake-name"), cccd = field("intake-cccd"), phone = field("intake-phone");
    const address = field("intake-address");
    const summary = el("textarea", { id: "intake-summary" });
    const feedback = el("div", { id: "intake-feedback" });
    return el("section", { class: "card span-4" },
      el("h2", {}, "Vào sổ đơn giấy"),
      el("form", { id: "intake-form", onsubmit: async (e) => {
        e.preventDefault();
        try {
          const r = await post("/dash/api/intake", { kind: kind.value, channel: channel.value,
            received: received.value, commune: commune.value, name: name.value, cccd: cccd.value,
            phone: phone.value, address: address.value, summary: summary.value });
          feedback.replaceChildren(message("Đã vào sổ. Mã biên nhận: " + formatCode(r.code) +
            " — hạn " + dateVi(r.due) + ".", "ok"));
          for (const f of [name, cccd, phone, address, summary]) f.value = "";
        } catch (err) { feedback.replaceChildren(message(err.message)); }
      } },
        el("label", { for: "intake-kind" }, "Loại đơn"), kind,
        el("label", { for: "intake-channel" }, "Cách nhận"), channel,
        el("label", { for: "intake-received" }, "Ngày nhận đơn"), received,
        el("label", { for: "intake-commune" }, "Người gửi ở xã"), commune,
        el("label", { for: "intake-name" }, "Họ tên người gửi"), name,
        el("label", { for: "intake-cccd" }, "Số CCCD"), cccd,
        el("label", { for: "intake-phone" }, "Số điện thoại"), phone,
        el("label", { for: "intake-address" }, "Địa chỉ"), address,
        el("label", { for: "intake-summary" }, "Tóm tắt nội dung"), summary,
        el("div", { class: "actions" }, el("button", { type: "submit", class: "primary", id: "intake-submit" }, "Vào sổ"))),
      feedback);
  }

  // [SECTION] admin

  async function adminPage() {
    if (role !== "admin") {
      setPage("Quản trị", el("section", { class: "card" }, el("p", {}, "Trang này dành cho tài khoản quản trị.")));
      return;
    }
    const kind = el("select", { id: "import-kind" }, el("option", { value: "holidays" }, "Bảng ngày nghỉ (holidays)"),
      el("option", { value: "catalog" }, "Danh mục thủ tục (catalog)"),
      el("option", { value: "units" }, "Bảng đơn vị hành chính (units)"),
      el("option", { value: "succession" }, "Bảng kế thừa đơn vị (succession)"));
    const file = el("input", { type: "file", id: "import-file", accept: ".tsv,text/tab-separated-values,text/plain" });
    const feedback = el("div", {});
    setPage("Quản trị",
      el("section", { class: "card" },
        el("h2", {}, "Nhập dữ liệu cho mọi máy kiosk"),
        el("p", {}, "Tệp TSV cùng định dạng với thư mục assets/. Bảng ngày nghỉ thay các năm có trong tệp; danh mục thay toàn bộ. Các máy kiosk nhận ở lần đồng bộ tới."),
        el("form", { id: "import-form", onsubmit: async (e) => {
          e.preventDefault();
          if (!file.files.length) { feedback.replaceChildren(message("Chọn một tệp.")); return; }
          try {
            const text = await file.files[0].text();
            const r = await post("/dash/api/import", { kind: kind.value, text });
            feedback.replaceChildren(message("Đã nhập " + r.items + " mục; các máy kiosk nhận ở lần đồng bộ tới.", "ok"));
          } catch (err) { feedback.replaceChildren(message(err.message)); }
        } },
          el("label", { for: "import-kind" }, "Loại dữ liệu"), kind,
          el("label", { for: "import-file" }, "Tệp"), file,
          el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Nhập"))),
        feedback),
      kiosksSection(),
      officersSection(),
      officerLogSection(),
      identityReadsSection());
  }

  // A form's answer under it: the message, or the error.
  async function attempt(feedback, work) {
    try { feedback.replaceChildren(message(await work(), "ok")); return true; }
    catch (err) { feedback.replaceChildren(message(err.message)); return false; }
  }

  // Kiosks: enrol one (its token shown this once), name, revoke — as district-server enroll-kiosk,
  // revoke-kiosk do; each change is in the officers' action log.
  function kiosksSection() {
    const body = el("tbody", {});
    const feedback = el("div", { id: "kiosk-feedback" });
    const load = async () => {
      const r = await api("/dash/api/admin/kiosks");
      body.replaceChildren(...r.kiosks.map((k) => {
        const name = el("input", { value: k.name, "aria-label": "Tên máy " + k.kiosk, class: "kiosk-name" });
        return el("tr", { "data-kiosk": k.kiosk, class: k.revoked ? "revoked" : "" },
          el("td", { class: "code" }, k.kiosk),
          el("td", {}, k.commune_name + " (" + k.commune + ")"),
          el("td", {}, k.revoked ? (k.name || "—") : el("form", { class: "inline", onsubmit: async (e) => {
            e.preventDefault();
            await attempt(feedback, async () => { await post("/dash/api/admin/kiosk-name", { kiosk: k.kiosk, name: name.value.trim() }); return "Đã đặt tên máy " + k.kiosk + "."; });
          } }, name, el("button", { type: "submit", class: "kiosk-name-save" }, "Lưu"))),
          el("td", {}, dateTimeVi(k.enrolled)),
          el("td", {}, k.revoked ? el("span", { class: "badge bad" }, "đã thu hồi") : dateTimeVi(k.last_seen)),
          el("td", {}, k.revoked ? null : el("button", { type: "button", class: "kiosk-revoke", onclick: async () => {
            if (!confirm("Thu hồi máy " + k.kiosk + "? Máy sẽ không đồng bộ được nữa.")) return;
            if (await attempt(feedback, async () => { await post("/dash/api/admin/kiosk-revoke", { kiosk: k.kiosk }); return "Đã thu hồi máy " + k.kiosk + "."; })) load();
          } }, "Thu hồi")));
      }));
    };
    const communes = el("select", { id: "enroll-commune" });
    api("/dash/api/communes").then((r) => communes.replaceChildren(...r.communes.map((c) => el("option", { value: c.code }, c.name + " (" + c.code + ")"))));
    const shown = el("div", { id: "enroll-result" });
    load().catch((err) => feedback.replaceChildren(message(err.message)));
    return el("section", { class: "card", id: "admin-kiosks" },
      el("h2", {}, "Máy kiosk"),
      el("form", { id: "enroll-form", class: "filters", onsubmit: async (e) => {
        e.preventDefault();
        try {
          const r = await post("/dash/api/admin/kiosk-enroll", { commune: communes.value });
          // The token leaves the server this once: shown here, never again.
          shown.replaceChildren(el("div", { class: "message ok" },
            el("p", {}, "Đã tạo máy " + r.kiosk + " cho " + r.commune_name + ", số máy " + String(r.slot).padStart(2, "0") +
              ". Mã bí mật chỉ hiện một lần này: nhập vào máy bằng kioskctl init --token … --slot " + String(r.slot).padStart(2, "0") + "."),
            el("p", {}, el("code", { id: "enroll-token" }, r.token)),
            el("p", {}, "Khoá công khai của máy chủ: ", el("code", {}, r.district_public_key))));
          feedback.replaceChildren();
          load();
        } catch (err) { shown.replaceChildren(message(err.message)); }
      } },
        el("div", {}, el("label", { for: "enroll-commune" }, "Xã"), communes),
        el("div", {}, el("button", { type: "submit", class: "primary", id: "enroll-submit" }, "Tạo máy mới"))),
      shown, feedback,
      el("div", { class: "table-wrap" }, el("table", { id: "admin-kiosks-table" },
          el("thead", {}, el("tr", {}, ["Máy", "Xã", "Tên", "Tạo lúc", "Đồng bộ lần cuối", ""].map((h) => el("th", {}, h)))), body)));
  }

  // District officers: add, disable, give a new password — as district-server officer does.
  function officersSection() {
    const body = el("tbody", {});
    const feedback = el("div", { id: "officer-feedback" });
    const role = el("select", { id: "officer-role" });
    const load = async () => {
      const r = await api("/dash/api/admin/officers");
      role.replaceChildren(...r.roles.map((x) => el("option", { value: x.slug }, x.name)));
      body.replaceChildren(...r.officers.map((o) => el("tr", { "data-officer": o.id },
        el("td", { class: "code" }, o.id), el("td", {}, o.name),
        el("td", {}, (r.roles.find((x) => x.slug === o.role) || { name: o.role }).name),
        el("td", {}, o.disabled ? el("span", { class: "badge bad" }, "đã khoá") : "đang dùng"),
        el("td", {},
          o.disabled ? null : el("button", { type: "button", class: "officer-disable", onclick: async () => {
            if (!confirm("Khoá tài khoản " + o.id + "?")) return;
            if (await attempt(feedback, async () => { await post("/dash/api/admin/officer-disable", { id: o.id }); return "Đã khoá tài khoản " + o.id + "."; })) load();
          } }, "Khoá"),
          el("button", { type: "button", class: "officer-reset", onclick: async () => {
            const password = prompt("Mật khẩu mới cho " + o.id + " (ít nhất 8 ký tự):");
            if (!password) return;
            await attempt(feedback, async () => { await post("/dash/api/admin/officer-reset", { id: o.id, password }); return "Đã đặt lại mật khẩu cho " + o.id + "."; });
          } }, "Đặt lại mật khẩu")))));
    };
    const id = el("input", { id: "officer-id", placeholder: "vd. cb02", autocomplete: "off" });
    const name = el("input", { id: "officer-name", placeholder: "Họ và tên" });
    const password = el("input", { id: "officer-password", type: "password", autocomplete: "new-password" });
    load().catch((err) => feedback.replaceChildren(message(err.message)));
    return el("section", { class: "card", id: "admin-officers" },
      el("h2", {}, "Cán bộ cấp " + meta("unit-top-level")),
      el("form", { id: "officer-form", class: "filters", onsubmit: async (e) => {
        e.preventDefault();
        const added = await attempt(feedback, async () => {
          await post("/dash/api/admin/officer-add", { id: id.value.trim(), name: name.value.trim(), role: role.value, password: password.value });
          return "Đã thêm cán bộ " + id.value.trim() + ".";
        });
        password.value = "";
        if (added) { id.value = ""; name.value = ""; load(); }
      } },
        el("div", {}, el("label", { for: "officer-id" }, "Tên đăng nhập"), id),
        el("div", {}, el("label", { for: "officer-name" }, "Họ tên"), name),
        el("div", {}, el("label", { for: "officer-role" }, "Vai trò"), role),
        el("div", {}, el("label", { for: "officer-password" }, "Mật khẩu"), password),
        el("div", {}, el("button", { type: "submit", class: "primary", id: "officer-submit" }, "Thêm cán bộ"))),
      feedback,
      el("div", { class: "table-wrap" }, el("table", { id: "admin-officers-table" },
        el("thead", {}, el("tr", {}, ["Tên đăng nhập", "Họ tên", "Vai trò", "Trạng thái", ""].map((h) => el("th", {}, h)))), body)));
  }

  const logActions = { "login": "Đăng nhập", "identity.read": "Xem thông tin người gửi", "kiosk.enroll": "Tạo máy kiosk",
    "kiosk.revoke": "Thu hồi máy kiosk", "kiosk.name": "Đặt tên máy kiosk", "officer.add": "Thêm cán bộ",
    "officer.disable": "Khoá tài khoản", "officer.reset-password": "Đặt lại mật khẩu" };

  // Who did what, when: logins, actions on records, readings of identities, admin changes; paged.
  function officerLogSection() {
    const out = el("div", {});
    let page = 1;
    const load = async () => {
      try {
        const r = await api("/dash/api/admin/log?page=" + page + "&per_page=50");
        out.replaceChildren(
          el("p", { id: "log-total" }, num(r.total) + " mục"),
          el("div", { class: "table-wrap" }, el("table", { id: "officer-log-table" },
            el("thead", {}, el("tr", {}, ["Thời điểm", "Cán bộ", "Việc", "Đối tượng", "Chi tiết"].map((h) => el("th", {}, h)))),
            el("tbody", {}, r.entries.map((x) => el("tr", { "data-action": x.action },
              el("td", {}, dateTimeVi(x.at)),
              el("td", {}, x.officer_name),
              el("td", {}, logActions[x.action] || (x.action.startsWith("record.") ? "Hồ sơ: " + x.action.slice(7) : x.action)),
              el("td", { class: "code" }, x.subject ? (x.action.startsWith("record.") || x.action === "identity.read"
                ? el("a", { href: "/record?code=" + encodeURIComponent(x.subject) }, formatCode(x.subject)) : x.subject)
                : x.action === "identity.read" ? "tìm theo thông tin người gửi" : "—"),
              el("td", {}, x.detail || "")))))),
          r.total > r.per_page ? pager(r, (to) => { page = to; load(); }) : null);
      } catch (err) { out.replaceChildren(message(err.message)); }
    };
    load();
    return el("section", { class: "card", id: "officer-log" }, el("h2", {}, "Nhật ký hoạt động của cán bộ"), out);
  }

  // Who read which citizen's identity, when: the audit admins keep an eye on.
  function identityReadsSection() {
    const code = el("input", { id: "reads-record", placeholder: "Mã biên nhận (để trống: tất cả)" });
    const body = el("tbody", {});
    const feedback = el("div", {});
    const load = async () => {
      try {
        const r = await api("/dash/api/identity-reads" + (code.value.trim() ? "?code=" + encodeURIComponent(code.value.trim()) : ""));
        body.replaceChildren(...(r.reads.length ? r.reads.map((x) => el("tr", {},
          el("td", {}, dateTimeVi(x.at)),
          el("td", {}, x.officer_name ? x.officer_name + " (" + x.officer + ")" : x.officer),
          el("td", { class: "code" }, x.record ? el("a", { href: "/record?code=" + encodeURIComponent(x.record) }, formatCode(x.record))
            : "tìm theo thông tin người gửi")))
          : [el("tr", {}, el("td", { colspan: "3" }, "Chưa có lần xem nào."))]));
        feedback.replaceChildren();
      } catch (err) { feedback.replaceChildren(message(err.message)); }
    };
    load();
    return el("section", { class: "card", id: "identity-reads" },
      el("h2", {}, "Nhật ký xem thông tin người gửi"),
      el("form", { onsubmit: (e) => { e.preventDefault(); load(); } },
        el("label", { for: "reads-record" }, "Hồ sơ"), code,
        el("div", { class: "actions" }, el("button", { type: "submit" }, "Lọc"))),
      feedback,
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Thời điểm"), el("th", {}, "Cán bộ"), el("th", {}, "Hồ sơ"))), body));
  }

  // [SECTION] router

  const pages = { "/": overview, "/records": records, "/record": recordPage, "/report": reportPage,
    "/receptions": receptionsPage, "/admin": adminPage };

  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.page === location.pathname || (location.pathname === "/record" && a.dataset.page === "/records"))
      a.classList.add("active");
  });
  if (role !== "admin") document.getElementById("nav-admin").classList.add("hidden");
  document.getElementById("logout").addEventListener("click", async () => {
    try {
      await post("/logout");
    } catch (e) {
      // 401: the session was already gone. Anything else: it still lives, so say so and stay.
      if (e.message !== "unauthorized") { main.prepend(message(e.message)); return; }
    }
    location.href = "/login";
  });
  const page = pages[location.pathname] || overview;
  page().then(() => {
    document.body.setAttribute("data-ready", location.pathname);
    if (page === overview) refreshOverview();
  })
    .catch((e) => {
      if (e.message !== "unauthorized") setPage("Lỗi", message(e.message));
      document.body.setAttribute("data-ready", "error");
    });
})();
