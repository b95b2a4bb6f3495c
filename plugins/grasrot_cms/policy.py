"""The Content-Security-Policy of the web editor's page (/admin/).

The editor runs in the site's origin, beside the members' remembered keys, so
it gets a policy as strict as Decap allows: scripts from the editor's own
folder only, and connections only to the site and to the one forge the
configuration names (its API, and the local backend of `make edit`). No inline
script runs, so raw HTML in a post shown in the preview pane cannot run any.

Decap validates its configuration with ajv, which compiles schemas with
`new Function`, so the page must allow 'unsafe-eval' (decap-cms issue 2138,
still open). Only the editor's own scripts can call it. Decap and its preview
pane set styles inline, and the signed-in officer's avatar is an image from
the forge.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Where each forge's API and sign-in live when the configuration names no other.
FORGE_ORIGINS = {
    "github": ("https://api.github.com", "https://avatars.githubusercontent.com"),
    "gitlab": ("https://gitlab.com",),
}
# Configuration keys that name another address of the same forge (self-hosted).
ADDRESS_KEYS = ("api_root", "base_url", "auth_endpoint")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def forge_origins(config: dict) -> list[str]:
    """The forge's origins: the defaults for its name and any address it is given."""
    backend = config.get("backend") or {}
    found = list(FORGE_ORIGINS.get(backend.get("name") or "", ()))
    found += [origin(str(backend[key])) for key in ADDRESS_KEYS if backend.get(key)]
    local = (config.get("local_backend") or {}).get("url")
    if local:
        found.append(origin(str(local)))
    return sorted({address for address in found if address})


def editor_policy(config: dict) -> str:
    forge = " ".join(forge_origins(config))
    extra = f" {forge}" if forge else ""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{extra}",
            "font-src 'self' data:",
            # Decap reads an uploaded picture back from its blob: address to save it.
            f"connect-src 'self' blob:{extra}",
            "media-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        )
    )
