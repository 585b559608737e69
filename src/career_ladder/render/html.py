"""What every exported HTML page shares: its style (light, dark and print), the escaping of data text
and the document around a body: no script, and a policy that lets the page load nothing."""

from __future__ import annotations

import html
from typing import Any

STYLE = """
:root { color-scheme: light dark; --ink: #1b1f24; --paper: #ffffff; --muted: #57606a; --line: #d0d7de;
  --accent: #0b5cad; --band: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --ink: #e6edf3; --paper: #0d1117; --muted: #9198a1;
  --line: #30363d; --accent: #58a6ff; --band: #161b22; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; font: 16px/1.5 system-ui, sans-serif;
  color: var(--ink); background: var(--paper); overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem; }
a { color: var(--accent); } .muted { color: var(--muted); } sup a { text-decoration: none; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--line);
  padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; } th { background: var(--band); }
.scroll { overflow-x: auto; } td:first-child, th:first-child { white-space: nowrap; width: 1%; }
section.rung { border-top: 2px solid var(--line); padding-top: 0.5rem; }
ul { padding-left: 1.25rem; } li { margin: 0.15rem 0; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 1rem; padding: 0 0.5rem;
  font-size: 0.85rem; color: var(--muted); margin-right: 0.25rem; }
@media (max-width: 600px) { body { padding: 0.75rem; font-size: 15px; } th, td { padding: 0.25rem; } }
@media print { :root { --ink: #000; --paper: #fff; --muted: #333; --line: #999; --accent: #000; --band: #eee; }
  body { max-width: none; font-size: 11pt; } section.rung { break-inside: avoid-page; }
  a { text-decoration: none; } nav { display: none; } }
"""

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def e(text: Any) -> str:
    """Data text as HTML text or an attribute's value: never markup."""
    return html.escape(str(text), quote=True)


def document(title: str, body: str) -> str:
    """A whole page around `body` (HTML), titled `title` (text)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
