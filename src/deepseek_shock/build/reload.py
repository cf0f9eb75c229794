"""What the preview server adds to the pages it serves: a reload script and, after a failed build, the error.

The script asks the server for its status (``STATUS_PATH``: same origin, nothing else is fetched)
every ``POLL_MS`` and reloads the page when the build version differs from the one the page was
served with: after every build, good or bad. A failed build's error is written into the page
itself, above its content, so the reader sees it where they look.
"""

from __future__ import annotations

import html
import json

from deepseek_shock.build.preview_client import STATUS_PATH

POLL_MS = 300

SCRIPT = """<script id="ds-preview-reload">
(() => {
  const served = %(version)s;
  async function poll() {
    try {
      const reply = await fetch(%(status)s, {cache: "no-store"});
      const status = await reply.json();
      if (status.version !== served) { location.reload(); return; }
    } catch (error) { /* the server is restarting or stopped: keep asking */ }
    setTimeout(poll, %(poll)d);
  }
  setTimeout(poll, %(poll)d);
})();
</script>
"""

BANNER = (
    '<div id="ds-preview-error" role="alert" style="position:sticky;top:0;z-index:10000;margin:0;'
    "padding:0.75rem 1rem;background:#8b0000;color:#fff;font:0.95rem/1.4 system-ui,sans-serif;"
    'white-space:pre-wrap"><strong>Preview: the last change failed.</strong> %s<br>'
    "The page shows the last good build; it reloads when the next change is built.</div>"
)

WAITING = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Preview: building the book</title></head>
<body><main><h1>Building the book</h1><p>This page reloads when the first build is done.</p></main></body>
</html>
"""


def script(version: str) -> str:
    """The reload script for a page served at build ``version``."""
    return SCRIPT % {"version": json.dumps(version), "status": json.dumps(STATUS_PATH), "poll": POLL_MS}


def banner(error: str) -> str:
    """The failed build's ``error`` as a block at the top of the page."""
    return BANNER % html.escape(error)


def with_preview(page: bytes, version: str, error: str | None) -> bytes:
    """``page`` (HTML) with the error banner after ``<body …>`` and the reload script before ``</body>``."""
    text = page.decode("utf-8", errors="replace")
    if error is not None:
        opening = text.find("<body")
        end = text.find(">", opening) + 1 if opening != -1 else 0
        text = text[:end] + banner(error) + text[end:]
    closing = text.rfind("</body>")
    closing = closing if closing != -1 else len(text)
    return (text[:closing] + script(version) + text[closing:]).encode("utf-8")


def waiting_page(version: str, error: str | None) -> bytes:
    """What is served before the first build has produced the book."""
    return with_preview(WAITING.encode(), version, error)
