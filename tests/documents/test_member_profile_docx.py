"""Cao Bằng's Mẫu 01, downloaded as the demo coordinator and opened with python-docx: a real
Word reader, not our own zip parsing, must find the form's title, the focal points and the
systems in it."""

from __future__ import annotations

import io
from urllib.parse import unquote

import docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def cao_bang(demo) -> str:
    hits = demo.get("/api/v1/organisations/search", params={"q": "cao bang"}).json()
    return hits[0]["org"]["id"]


def test_cao_bangs_form_01_opens_and_holds_its_focal_points_and_systems(demo):
    org = cao_bang(demo)
    profile = demo.get(f"/api/v1/organisations/{org}/profile").json()
    focal = [f["person"]["full_name"] for f in profile["focal_points"]]
    systems = [s["name"] for s in profile["systems"]]
    assert focal == ["Nông Văn Dũng", "Bế Thị Ánh"]
    assert systems, "the demo gives Cao Bằng at least one system"

    r = demo.get(f"/api/v1/organisations/{org}/profile.docx")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX_TYPE
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="mau-01-so-kh-cn-cao-bang-')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded).startswith("Mẫu 01 - Sở Khoa học và Công nghệ tỉnh Cao Bằng")
    (demo.artifact_dir / f"mau-01-cao-bang-{demo.backend}.docx").write_bytes(r.content)

    text = all_text(docx.Document(io.BytesIO(r.content)))
    assert "THÔNG TIN THÀNH VIÊN MẠNG LƯỚI ỨNG CỨU SỰ CỐ" in text
    assert "Mẫu 01" in text
    for name in focal + systems:
        assert name in text, f"{name} is not in the document"
    assert "Đầu mối chính" in text and "Đầu mối dự phòng" in text
    assert "125/QĐ-SKHCN" in text


def test_lang_sons_responder_gets_no_form_01_of_cao_bang(demo):
    org = cao_bang(demo)
    outsider = demo.token_for("ungcuu.langson@demo.irnet.vn")
    for path in ("profile.docx", "profile"):
        r = demo.get(f"/api/v1/organisations/{org}/{path}", token=outsider)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "Nông Văn Dũng" not in r.text
