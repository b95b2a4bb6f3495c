"""The Content-Security-Policy every page carries (a <meta> tag in base.html).

Raw HTML in any Markdown file could otherwise run script in the site's origin
and read the members' remembered keys. The policy allows scripts only from
the site itself (no inline script, no eval), no plugins, and no <base> that
would redirect the site's relative script URLs.

Styles may be inline: the brand colours are a <style> in every page, and
Markdown writes `style="text-align: …"` on aligned table cells. CSS cannot run
script, and with images, fonts and connections limited to the site itself
(plus data: and the blob: URLs members.js makes for decrypted pictures), CSS
cannot send anything to another host either.

A branch that must allow more (its own embeds) sets CONTENT_SECURITY_POLICY.
"""

from __future__ import annotations

SETTING = "CONTENT_SECURITY_POLICY"

DEFAULT_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    )
)


def policy(settings) -> str:
    """The policy for this site: the setting, or the kit's default."""
    return str(settings.get(SETTING) or DEFAULT_POLICY)
