"""What one profiled cell (or call, or replay) did: iopstop's --json dict
with tables, its SVG, and how to show them (HTML in a notebook, text in a
terminal)."""
import html
import itertools
import re

try:
    import pandas as _pd
except Exception:  # ImportError, or a broken install
    _pd = None

KINDS = ("file", "pipe", "socket", "tty", "other")
KIND_WORDS = {"pipe": "pipes", "socket": "sockets (ZeroMQ)", "tty": "terminals",
              "other": "eventfds and other descriptors", "file": "files"}


def human(n, suffix="B"):
    """1536 -> '1.5 KiB' (binary units, as iopstop prints them)."""
    v = float(n)
    for unit in ("", "Ki", "Mi", "Gi", "Ti", "Pi"):
        if abs(v) < 1024 or unit == "Pi":
            return ("%d %s%s" % (v, unit, suffix)) if unit == "" else \
                   ("%.1f %s%s" % (v, unit, suffix))
        v /= 1024
    return str(n)


_scopes = itertools.count(1)


def scoped_svg(svg, scope):
    """iopstop's SVG made safe to put inline in a page holding others: its
    ids get the prefix `scope-` (and so do the #references to them), and
    its <style> rules apply only inside the element with id `scope`."""
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2:].lstrip()
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for i in ids:
        svg = svg.replace('id="%s"' % i, 'id="%s-%s"' % (scope, i))
        svg = svg.replace("#%s)" % i, "#%s-%s)" % (scope, i))
        svg = svg.replace('href="#%s"' % i, 'href="#%s-%s"' % (scope, i))

    def rules(m):
        body = re.sub(r"(^|})\s*([^@{}][^{}]*)\{",
                      lambda r: "%s%s{" % (r.group(1), ",".join(
                          "#%s %s" % (scope, sel.strip()) for sel in r.group(2).split(","))),
                      m.group(2))
        return m.group(1) + body + m.group(3)
    return re.sub(r"(<style[^>]*>)(.*?)(</style>)", rules, svg, flags=re.S)


def _table(rows):
    return _pd.DataFrame(rows) if _pd is not None else list(rows)


class Result:
    """r.summary: iopstop's --json (a dict, unchanged).  r.files,
    r.processes, r.histogram, r.heatmap: tables (pandas DataFrames when
    pandas is importable, else lists of dicts).  r.svg: iopstop's SVG
    (heatmap and size histogram).  r.elapsed_s: the cell's own run time,
    which the rates shown are over.  r.left_out: what the filters kept
    out.  r.notes: anything the numbers need said (a fallback).  r.value:
    the cell's last expression, r.error: the exception it raised."""

    def __init__(self, summary, svg=None, elapsed_s=None, notes=(), skipped_threads=None,
                 ptracer=None, iopstop_pid=None, value=None, error=None):
        self.summary = summary
        self.svg = svg
        self.elapsed_s = elapsed_s if elapsed_s is not None else summary.get("elapsed_s", 0)
        self.notes = list(notes)
        self.skipped_threads = dict(skipped_threads or {})
        self.ptracer = ptracer
        self.iopstop_pid = iopstop_pid
        self.value = value
        self.error = error
        self.subject = "the cell"   # what ran: "the call", "the recording"
        self.kept = None        # $IOPSTOP_KEEP: where iopstop's JSON was kept
        self.show = set()       # "histogram", "heatmap", "files", "latency", "insights"

    # -- tables -----------------------------------------------------------
    @property
    def files(self):
        return _table(self.summary.get("files", []))

    @property
    def processes(self):
        return _table(self.summary.get("processes", []))

    @property
    def histogram(self):
        return _table(self.summary.get("histogram", []))

    @property
    def heatmap(self):
        return _table(self.summary.get("heatmap", {}).get("cells", []))

    @property
    def findings(self):
        return self.summary.get("findings")

    @property
    def backend(self):
        return self.summary.get("backend")

    @property
    def left_out(self):
        return self.summary.get("left_out", {})

    def ops(self, direction):
        return self.summary.get(direction, {}).get("ops", 0)

    def bytes(self, direction):
        return self.summary.get(direction, {}).get("bytes", 0)

    # -- what the table shows ---------------------------------------------
    def _rate(self, n):
        return n / self.elapsed_s if self.elapsed_s and self.elapsed_s > 0 else 0.0

    def rows(self):
        """(name, ops, bytes or None, IOPS, bytes/s or None, errors)."""
        s = self.summary
        out = []
        for d in ("read", "write", "total"):
            x = s.get(d, {})
            out.append((d, x.get("ops", 0), x.get("bytes", 0), self._rate(x.get("ops", 0)),
                        self._rate(x.get("bytes", 0)), x.get("errors", 0)))
        m = s.get("meta", {})
        out.append(("meta", m.get("ops", 0), None, self._rate(m.get("ops", 0)), None,
                    m.get("errors", 0)))
        return out

    def left_out_text(self):
        """One sentence: what the cell's counts leave out, or ''."""
        lo = self.left_out
        if not lo:
            return ""
        calls = lambda n: "%d call%s" % (n, "" if n == 1 else "s")
        total = lambda x: sum(x.get(k, 0) for k in ("read_ops", "write_ops", "meta_ops"))
        kinds = [k for k in KINDS if k in lo]
        parts = ["%s on %s" % (calls(total(lo[k])), KIND_WORDS[k]) for k in kinds if total(lo[k])]
        if "threads" in lo:
            n = len(lo.get("thread_ids", []))
            names = sorted(set(self.skipped_threads.values()))
            parts.append("%s of IPython's own %d thread%s%s" % (
                calls(total(lo["threads"])), n, "" if n == 1 else "s",
                " (%s%s)" % (", ".join(names[:4]), ", ..." if len(names) > 4 else "")
                if names else ""))
        text = "Counted: calls on %s. " % (
            " and ".join(KIND_WORDS[k] for k in KINDS if k not in lo) + " only"
            if kinds else "every kind of descriptor")
        return text + "Left out as not the cell's (the kernel's and this magic's own): " + (
            ", ".join(parts) if parts else "nothing") + "."

    def _meta_calls(self):
        by = self.summary.get("meta", {}).get("by_call", {})
        return ", ".join("%s %d" % (k, v) for k, v in sorted(by.items(), key=lambda kv: -kv[1]))

    # -- text ---------------------------------------------------------------
    def __repr__(self):
        s = self.summary
        lines = ["iopstop: %s ran %.3f s (backend %s, PID %s)"
                 % (self.subject, self.elapsed_s or 0, s.get("backend"),
                    ",".join(map(str, s.get("pids", []))))]
        lines.append("  %-6s %10s %14s %11s %11s %13s %7s" %
                     ("", "ops", "bytes", "", "IOPS", "throughput", "errors"))
        for name, ops, b, iops, bps, errs in self.rows():
            lines.append("  %-6s %10d %14s %11s %11.1f %13s %7d" % (
                name, ops, "" if b is None else "{:,}".format(b),
                "" if b is None else human(b), iops,
                "" if bps is None else human(bps) + "/s", errs))
        if self._meta_calls():
            lines.append("  meta calls: " + self._meta_calls())
        for t in [self.left_out_text()] + self.notes:
            if t:
                lines.append("  " + t)
        if "files" in self.show:
            for f in s.get("files", []):
                lines.append("  %-40s r %d %s  w %d %s  meta %d" % (
                    f["path"], f["read_ops"], human(f["read_bytes"]), f["write_ops"],
                    human(f["write_bytes"]), f["meta_ops"]))
        if "latency" in self.show:
            for c, q in s.get("latency_us", {}).items():
                lines.append("  latency %-5s p50 %s us  p99 %s us  total %.6f s" % (
                    c, q.get("p50"), q.get("p99"), q.get("total_s", 0)))
        if "insights" in self.show:
            fs = self.findings
            if fs is None:
                lines.append("  insights: this iopstop reports no findings")
            for f in fs or []:
                lines.append("  [%s] %s" % (f.get("severity", ""), f.get("title", "")))
        if self.show & {"histogram", "heatmap"}:
            lines.append("  (the SVG pictures show in a notebook: r.svg)")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))

    # -- HTML -------------------------------------------------------------
    def _repr_html_(self):
        e = html.escape
        s = self.summary
        out = ['<div class="iopstop">',
               '<table class="iopstop-summary">',
               '<caption style="text-align:left">iopstop: execution time <b>%.3f s</b> '
               '(backend %s, PID %s)</caption>' % (self.elapsed_s or 0, e(str(s.get("backend"))),
                                                    e(",".join(map(str, s.get("pids", []))))),
               '<thead><tr><th></th><th>ops</th><th>bytes</th><th></th><th>IOPS</th>'
               '<th>throughput</th><th>errors</th></tr></thead><tbody>']
        for name, ops, b, iops, bps, errs in self.rows():
            out.append('<tr><th style="text-align:left">%s</th><td>%d</td><td>%s</td><td>%s</td>'
                       '<td>%.1f</td><td>%s</td><td>%d</td></tr>' % (
                           name, ops, "" if b is None else "{:,}".format(b),
                           "" if b is None else e(human(b)), iops,
                           "" if bps is None else e(human(bps)) + "/s", errs))
        out.append("</tbody></table>")
        if self._meta_calls():
            out.append("<p>meta calls: %s</p>" % e(self._meta_calls()))
        for t in [self.left_out_text()] + self.notes:
            if t:
                out.append('<p class="iopstop-note"><i>%s</i></p>' % e(t))
        if "files" in self.show:
            out.append('<table class="iopstop-files"><thead><tr><th>file</th><th>kind</th>'
                       '<th>reads</th><th>read bytes</th><th>writes</th><th>written bytes</th>'
                       '<th>meta</th><th>errors</th></tr></thead><tbody>')
            for f in s.get("files", []):
                out.append("<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%d</td>"
                           "<td>%s</td><td>%d</td><td>%d</td></tr>" % (
                               e(f["path"]), e(f.get("kind", "")), f["read_ops"],
                               "{:,}".format(f["read_bytes"]), f["write_ops"],
                               "{:,}".format(f["write_bytes"]), f["meta_ops"],
                               f.get("errors", 0)))
            out.append("</tbody></table>")
        if "latency" in self.show:
            out.append('<table class="iopstop-latency"><thead><tr><th></th><th>p50 (us)</th>'
                       '<th>p99 (us)</th><th>time in calls (s)</th></tr></thead><tbody>')
            for c, q in s.get("latency_us", {}).items():
                out.append("<tr><th>%s</th><td>%s</td><td>%s</td><td>%.6f</td></tr>" % (
                    e(c), q.get("p50"), q.get("p99"), q.get("total_s", 0)))
            out.append("</tbody></table>")
        if "insights" in self.show:
            fs = self.findings
            if fs is None:
                out.append("<p><i>insights: this iopstop reports no findings</i></p>")
            elif not fs:
                out.append("<p>insights: nothing to report</p>")
            else:
                out.append('<ul class="iopstop-findings">')
                for f in fs:
                    out.append("<li><b>[%s]</b> %s<br>%s</li>" % (
                        e(str(f.get("severity", ""))), e(str(f.get("title", ""))),
                        e(str(f.get("advice", "")))))
                out.append("</ul>")
        if self.show & {"histogram", "heatmap"} and self.svg:
            scope = "iopstop-svg-%d" % next(_scopes)
            out.append('<div class="iopstop-svg" id="%s">%s</div>'
                       % (scope, scoped_svg(self.svg, scope)))
        out.append("</div>")
        return "\n".join(out)
