"""The official forms opened by LibreOffice: Lạng Sơn files an incident with its Mẫu 03 and
Mẫu 04 through the API, the coordinator downloads Mẫu 05 (DOCX and XLSX) and Cao Bằng's Mẫu 01;
each is converted to PDF by `soffice --headless` and its text and page count are checked, so a
real office suite, not our own reader, must lay them out as official documents: the national
heading on one line per part, the place and date line, "Nơi nhận", the signer, and the sheet's
print setup (one page wide, the day it describes)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CLI_TIMEOUT_S

SOFFICE_TIMEOUT_S = 120
RESPONDER = "ungcuu.langson@demo.irnet.vn"
ORG_ADMIN = "quantri.thainguyen@demo.irnet.vn"


def write_token(demo, email: str) -> str:
    out = subprocess.run(
        [str(demo.binary), "token", "create", "--email", email, "--scope", "write", *demo.db_args],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert out.returncode == 0, out.stderr
    return re.search(r"irnet_[A-Za-z0-9_-]+", out.stdout).group(0)


def to_pdf(path: Path) -> tuple[str, int]:
    """The PDF's text (layout kept, so that a wrapped line shows as wrapped) and page count."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.fail("soffice is missing: install libreoffice-writer-nogui and libreoffice-calc-nogui")
    profile = path.parent / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(path.parent), str(path)],
        check=True, capture_output=True, timeout=SOFFICE_TIMEOUT_S,
    )
    pdf = path.with_suffix(".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return text, pages


def one_line(text: str, words: str) -> bool:
    return any(words in line for line in text.splitlines())


def national_heading(text: str) -> None:
    assert one_line(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), text[:1500]
    assert one_line(text, "Độc lập - Tự do - Hạnh phúc"), text[:1500]


@pytest.fixture(scope="module")
def forms(demo, tmp_path_factory):
    """Every form as downloaded, by name, in a folder of its own."""
    out = tmp_path_factory.mktemp(f"forms-{demo.backend}")
    ls = write_token(demo, RESPONDER)
    auth = {"Authorization": f"Bearer {ls}"}
    import requests

    def post(path, body):
        r = requests.post(demo.base_url + path, json=body, headers=auth, timeout=30)
        assert r.status_code in (200, 201), r.text
        return r.json()

    inc = post("/api/v1/incidents", {
        "title": "Mã độc mã hóa dữ liệu máy chủ thư điện tử",
        "detected_at": "2024-10-15T08:30",
        "type_key": "malware",
        "submit": True,
    })
    iid = inc["id"]
    post(f"/api/v1/incidents/{iid}/reports", {"kind": "initial", "filing": {
        "document_number": "15/BC-STTTT", "place": "Lạng Sơn",
        "recipients": ["Cục An toàn thông tin", "Sở Thông tin và Truyền thông tỉnh Cao Bằng"],
        "signer_title": "Giám đốc", "signer_name": "Hoàng Văn Nam",
    }})
    post(f"/api/v1/incidents/{iid}/reports", {"kind": "closing", "result": "Đã khôi phục",
         "lessons": "Sao lưu ngoại tuyến hằng tuần", "filing": {"place": "Lạng Sơn"}})
    filed = requests.get(f"{demo.base_url}/api/v1/incidents/{iid}/filed", headers=auth, timeout=30).json()
    got = {}
    for f in filed:
        r = requests.get(f"{demo.base_url}/api/v1/incidents/{iid}/filed/{f['id']}/docx", headers=auth, timeout=30)
        assert r.status_code == 200, r.text
        name = f"{f['kind']}.docx"
        (out / name).write_bytes(r.content)
        got[f["kind"]] = out / name
    r = requests.get(f"{demo.base_url}/api/v1/incidents/{iid}/draft/initial/docx", headers=auth, timeout=30)
    (out / "draft_03.docx").write_bytes(r.content)
    got["draft_03"] = out / "draft_03.docx"
    lang_son = demo.get("/api/v1/organisations/search", params={"q": "lang son"}).json()[0]["org"]["id"]
    for fmt in ("docx", "xlsx"):
        r = demo.get(f"/api/v1/organisations/{lang_son}/incident-statistics/form",
                     params={"year": 2024, "format": fmt})
        assert r.status_code == 200, r.text
        (out / f"mau_05.{fmt}").write_bytes(r.content)
        got[f"mau_05_{fmt}"] = out / f"mau_05.{fmt}"
    # Lạng Sơn asks the coordinator for help in the incident's own reports, then files the
    # year's Mẫu 05; Thái Nguyên's org admin records the address, head and an approved system
    # and files its Mẫu 01. The filed documents are read as filed.
    post(f"/api/v1/incidents/{iid}/reports", {"kind": "support_request",
         "text": "Đề nghị hỗ trợ phân tích mẫu mã độc"})
    mau05 = post(f"/api/v1/organisations/{lang_son}/incident-statistics/filed", {
        "year": 2024, "filing": {"document_number": "30/BC-STTTT", "place": "Lạng Sơn",
                                 "signer_title": "Giám đốc", "signer_name": "Hoàng Văn Nam"}})
    for fmt in ("docx", "xlsx"):
        r = requests.get(f"{demo.base_url}/api/v1/organisations/{lang_son}/incident-statistics/filed/{mau05['id']}/{fmt}",
                         headers=auth, timeout=30)
        assert r.status_code == 200, r.text
        (out / f"filed_mau_05.{fmt}").write_bytes(r.content)
        got[f"filed_mau_05_{fmt}"] = out / f"filed_mau_05.{fmt}"
    tn_admin = {"Authorization": f"Bearer {write_token(demo, ORG_ADMIN)}"}
    thai_nguyen = demo.get("/api/v1/organisations/search", params={"q": "thai nguyen"}).json()[0]["org"]["id"]
    r = requests.put(f"{demo.base_url}/api/v1/organisations/{thai_nguyen}/profile/details", json={
        "address": "Số 8 đường Hoàng Văn Thụ, tỉnh Thái Nguyên", "phone": "0208 3855 466",
        "email": "vanthu@thainguyen.gov.vn", "head_name": "Nguyễn Văn Tiến", "head_title": "Giám đốc Sở",
    }, headers=tn_admin, timeout=30)
    assert r.status_code == 200, r.text
    r = requests.post(f"{demo.base_url}/api/v1/organisations/{thai_nguyen}/systems", json={
        "name": "Hệ thống quản lý văn bản và điều hành", "proposed_level": 3, "approved_level": 3,
        "approval_decision": "1234/QĐ-UBND", "approval_date": "2025-09-15",
    }, headers=tn_admin, timeout=30)
    assert r.status_code == 201, r.text
    r = requests.post(f"{demo.base_url}/api/v1/organisations/{thai_nguyen}/profile/filed",
                      json={"place": "Thái Nguyên"}, headers=tn_admin, timeout=30)
    assert r.status_code == 201, r.text
    r = requests.get(f"{demo.base_url}/api/v1/organisations/{thai_nguyen}/profile/filed/{r.json()['id']}/docx",
                     headers=tn_admin, timeout=30)
    assert r.status_code == 200, r.text
    (out / "filed_mau_01.docx").write_bytes(r.content)
    got["filed_mau_01"] = out / "filed_mau_01.docx"
    hits = demo.get("/api/v1/organisations/search", params={"q": "cao bang"}).json()
    r = demo.get(f"/api/v1/organisations/{hits[0]['org']['id']}/profile.docx")
    (out / "mau_01.docx").write_bytes(r.content)
    got["mau_01"] = out / "mau_01.docx"
    for p in got.values():
        shutil.copy(p, demo.artifact_dir / f"{demo.backend}-{p.name}")
    return got


def test_mau_03_is_an_official_document(forms):
    text, pages = to_pdf(forms["mau_03"])
    national_heading(text)
    assert "Số: 15/BC-STTTT" in text
    assert re.search(r"Lạng Sơn, ngày \d\d tháng \d{1,2} năm \d{4}", text), "place and date on one line"
    assert "BÁO CÁO BAN ĐẦU" in text
    assert "Nơi nhận:" in text and "- Cục An toàn thông tin;" in text
    assert "GIÁM ĐỐC" in text and "Hoàng Văn Nam" in text
    assert "DỰ THẢO" not in text
    assert 2 <= pages <= 5, pages


def test_mau_04_cites_the_initial_report(forms):
    text, pages = to_pdf(forms["mau_04"])
    national_heading(text)
    assert "BÁO CÁO KẾT THÚC ỨNG CỨU SỰ CỐ" in text
    assert "15/BC-STTTT" in text, "cites the initial report by its number"
    assert "Nơi nhận:" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert 1 <= pages <= 3, pages


def test_a_draft_says_so_on_its_first_page(forms):
    text, _ = to_pdf(forms["draft_03"])
    first = text.split("\f")[0]
    assert "DỰ THẢO (DRAFT)" in first


def test_mau_05_docx_and_xlsx(forms):
    text, pages = to_pdf(forms["mau_05_docx"])
    national_heading(text)
    assert "Nơi nhận:" in text
    assert pages <= 4, pages
    text, pages = to_pdf(forms["mau_05_xlsx"])
    assert "Số liệu tính đến ngày" in text, text[:1000]
    assert pages <= 2, f"the sheet fits one page wide: {pages} pages"


def test_mau_01_is_an_official_document(forms):
    text, pages = to_pdf(forms["mau_01"])
    national_heading(text)
    assert "Nơi nhận:" in text
    assert pages <= 8, pages


def test_filed_mau_05_counts_help_asked_and_keeps_its_columns_readable(forms):
    text, pages = to_pdf(forms["filed_mau_05_docx"])
    national_heading(text)
    assert "Số: 30/BC-STTTT" in text
    assert "DỰ THẢO" not in text
    assert "Đề nghị Cơ quan" in text, "the help-asked column"
    # The type names have room: "Tấn công sử dụng mã độc" stays on one line with its counts,
    # the last of which (help asked of the coordinator) counts the incident that asked.
    assert re.search(r"Tấn công sử dụng mã độc\s+\d+\s+\d+\s+\d+\s+\d+\s+[1-9]", text), text
    assert pages <= 4, pages
    text, pages = to_pdf(forms["filed_mau_05_xlsx"])
    assert "Số liệu tính đến ngày" in text
    assert "Tấn công sử dụng mã độc" in text
    assert pages <= 2, f"the sheet fits one page wide: {pages} pages"


def test_filed_mau_01_carries_address_head_and_approval(forms):
    text, pages = to_pdf(forms["filed_mau_01"])
    national_heading(text)
    flat = " ".join(text.split())
    assert "Số 8 đường Hoàng Văn Thụ" in flat
    assert "0208 3855 466" in flat and "vanthu@thainguyen.gov.vn" in flat
    assert "Giám đốc Sở Nguyễn Văn Tiến" in flat
    assert "1234/QĐ-UBND" in flat and "15/09/2025" in flat, "the system's approval"
    assert "Chủ quản:" in flat and "Vận hành:" in flat
    assert "DỰ THẢO" not in text
    assert pages <= 8, pages


def test_live_forms_are_drafts(forms):
    text, _ = to_pdf(forms["mau_05_docx"])
    assert "DỰ THẢO (DRAFT)" in text.split("\f")[0]
