"""Is a PDF archive-grade? The checks every document passes before it goes into a package.

- PDF/A identification: the XMP metadata names the part and conformance ``skole.yaml`` asks for
  (``pdfaid:part`` 2 or 1, ``pdfaid:conformance`` B) and the file has a PDF/A OutputIntent;
- every font is embedded (a font program in each font descriptor; Type 3 fonts are drawn by the
  PDF itself), on every page and in the forms the pages draw;
- no encryption.

This reads the file's structure with pikepdf (``pip install 'skm[pdf]'``); it is not a full
PDF/A validator (veraPDF is), but it stops what an archive refuses most often: a plain PDF, a
missing font, a password.
"""

from __future__ import annotations

import io
from typing import Any

from skolemiljo.errors import PdfUnavailableError

_PARTS = {"2b": ("2", "B"), "1b": ("1", "B")}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _pikepdf() -> Any:
    try:
        import pikepdf
    except ImportError:
        raise PdfUnavailableError(
            "Kan ikke kontrollere PDF/A-filene: pikepdf er ikke installert.",
            hint="Installer PDF-støtten med `pip install 'skm[pdf]'`.",
        ) from None
    return pikepdf


def problems(data: bytes, pdfa: str) -> list[str]:
    """What keeps ``data`` from being archive-grade PDF/A-``pdfa`` (empty: nothing)."""
    pikepdf = _pikepdf()
    part, conformance = _PARTS[pdfa]
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return ["fila er kryptert (passordbeskyttet)"]
    except pikepdf.PdfError:
        return ["fila er ikke en lesbar PDF"]
    found: list[str] = []
    with pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            found.append("fila er kryptert")
        found.extend(_identification(pdf, part, conformance))
        missing = sorted(_unembedded_fonts(pikepdf, pdf))
        if missing:
            found.append(f"skrifter er ikke innebygd: {', '.join(missing[:5])}")
    return found


def _identification(pdf: Any, part: str, conformance: str) -> list[str]:
    wanted = f"PDF/A-{part}{conformance.lower()}"
    try:
        meta = pdf.open_metadata()
        found_part = str(meta.get("pdfaid:part", "") or "")
        found_conformance = str(meta.get("pdfaid:conformance", "") or "")
    except Exception:  # noqa: BLE001  (any XMP problem means: not identified as PDF/A)
        found_part = found_conformance = ""
    out = []
    if not found_part:
        out.append(f"fila er ikke merket som PDF/A (mangler pdfaid i XMP-metadata); arkivet krever {wanted}")
    elif (found_part, found_conformance.upper()) != (part, conformance):
        out.append(f"fila er merket som PDF/A-{found_part}{found_conformance.lower()}, men skole.yaml krever {wanted}")
    intents = pdf.Root.get("/OutputIntents")
    if not intents or not any(str(intent.get("/S", "")) == "/GTS_PDFA1" for intent in intents):
        out.append("fila mangler PDF/A-fargeprofil (OutputIntent GTS_PDFA1)")
    return out


def _unembedded_fonts(pikepdf: Any, pdf: Any) -> set[str]:
    missing: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def font_ok(font: Any) -> bool:
        subtype = str(font.get("/Subtype", ""))
        if subtype == "/Type3":
            return True
        if subtype == "/Type0":
            descendants = font.get("/DescendantFonts")
            return bool(descendants) and all(font_ok(d) for d in descendants)
        descriptor = font.get("/FontDescriptor")
        return descriptor is not None and any(key in descriptor for key in _FONT_FILES)

    def visit(resources: Any, depth: int) -> None:
        if resources is None or depth > 10:
            return
        fonts = resources.get("/Font")
        if fonts is not None:
            for name, font in fonts.items():
                if not font_ok(font):
                    missing.add(str(font.get("/BaseFont", name)).lstrip("/"))
        xobjects = resources.get("/XObject")
        if xobjects is not None:
            for _name, xobject in xobjects.items():
                if str(xobject.get("/Subtype", "")) != "/Form":
                    continue
                key = xobject.objgen
                if key != (0, 0):
                    if key in seen:
                        continue
                    seen.add(key)
                visit(xobject.get("/Resources"), depth + 1)

    for page in pdf.pages:
        visit(page.obj.get("/Resources"), 0)
        for annotation in page.obj.get("/Annots") or []:
            appearance = annotation.get("/AP")
            normal = appearance.get("/N") if appearance is not None else None
            if isinstance(normal, pikepdf.Stream):
                visit(normal.get("/Resources"), 1)
    return missing
